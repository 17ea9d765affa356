using System.Runtime.CompilerServices;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Shedding;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Pipeline;

/// <summary>
/// One <see cref="ServiceRequestState"/> per YARP cluster model: the model a request was routed with is replaced
/// when the cluster's config changes, so a state never outlives the config it was read from, and states of replaced
/// models are collected with them. The limiter, budget and gauge it holds are the service's own, shared by all.
/// </summary>
internal sealed class ServiceRequestStates(ConcurrencyLimiters limiters, RetryBudgets budgets, BalancerMetrics metrics, TrafficWindows windows, IOptions<BalancerOptions> options)
{
    private readonly int? _httpsPort = options.Value.HttpsRedirectPort;

    private readonly ConditionalWeakTable<ClusterModel, ServiceRequestState> _states = [];

    public ServiceRequestState For(ClusterModel cluster) =>
        _states.TryGetValue(cluster, out var state)
            ? state
            : _states.GetValue(cluster, c => new ServiceRequestState(ServiceNames.Of(c.Config), limiters, budgets, metrics, windows)
            {
                HttpsRedirectPort = RedirectsToHttps(c.Config) ? _httpsPort : null,
            });

    private static bool RedirectsToHttps(Yarp.ReverseProxy.Configuration.ClusterConfig config) =>
        config.Metadata is not null && config.Metadata.ContainsKey(Routing.BalancerMetadata.HttpsRedirect);
}

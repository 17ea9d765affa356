using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Retries;

/// <summary>
/// Gives each cluster without a route timeout (<c>ServiceRoute.Timeout</c>, carried into the cluster by the routing
/// snapshot) the balancer's <see cref="RetryOptions.RequestTimeout"/> as its attempt timeout: YARP's ActivityTimeout,
/// the time to response headers and the longest silence while streaming. A timed-out idempotent attempt is then
/// retried elsewhere; when none is left the client gets 504.
/// </summary>
internal sealed class RequestTimeoutConfigFilter(IOptionsMonitor<BalancerOptions> options) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var request = cluster.HttpRequest ?? ForwarderRequestConfig.Empty;
        return ValueTask.FromResult(request.ActivityTimeout is not null ? cluster : cluster with
        {
            HttpRequest = request with { ActivityTimeout = options.CurrentValue.Retries.RequestTimeout },
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}

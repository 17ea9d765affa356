using Bollard.Balancer.Health;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Retries;

/// <summary>
/// Sets each cluster's attempt timeout (YARP's ActivityTimeout: time to response headers, and the longest silence
/// while streaming) from <c>ServiceRoute.Timeout</c> or <see cref="RetryOptions.RequestTimeout"/>. A timed-out
/// idempotent attempt is then retried elsewhere.
/// </summary>
internal sealed class RequestTimeoutConfigFilter(IOptions<BalancerOptions> options, IServiceRouteSource routes) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var timeout = ServiceRouteSettings.Find(routes, ServiceNames.Of(cluster))?.Timeout ?? options.Value.Retries.RequestTimeout;
        var request = cluster.HttpRequest ?? ForwarderRequestConfig.Empty;
        return ValueTask.FromResult(request.ActivityTimeout is not null ? cluster : cluster with
        {
            HttpRequest = request with { ActivityTimeout = timeout },
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}

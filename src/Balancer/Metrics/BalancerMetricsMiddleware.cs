using Bollard.Balancer.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Records every proxied request, placed first in YARP's pipeline so it also sees requests that never reach a
/// replica (503 when no replica is healthy). The replica's version and zone come from the destination metadata
/// the routing snapshot put there.
/// </summary>
internal sealed class BalancerMetricsMiddleware(RequestDelegate next, BalancerMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var service = ServiceOf(proxy.Cluster.Config);
        var started = time.GetTimestamp();
        metrics.RequestStarted(service);
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            var destination = proxy.ProxiedDestination?.Model.Config.Metadata;
            var version = destination is null ? BalancerMetrics.None : destination.GetValueOrDefault(BalancerMetadata.Version, string.Empty);
            var zone = destination is null ? BalancerMetrics.None : destination.GetValueOrDefault(BalancerMetadata.Zone, string.Empty);

            // An exception escaping YARP becomes a 500 from the server unless the response had already started.
            var status = completed || context.Response.HasStarted
                ? context.Response.StatusCode
                : StatusCodes.Status500InternalServerError;
            metrics.RequestFinished(service, version, zone, status, time.GetElapsedTime(started));
        }
    }

    private static string ServiceOf(Yarp.ReverseProxy.Configuration.ClusterConfig cluster) =>
        cluster.Metadata is not null && cluster.Metadata.TryGetValue(BalancerMetadata.Service, out var service)
            ? service
            : cluster.ClusterId;
}

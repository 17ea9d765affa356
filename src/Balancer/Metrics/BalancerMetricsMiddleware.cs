using Bollard.Balancer.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Records every proxied request, placed first in YARP's pipeline so it also sees requests that never reach a
/// replica (503 when no replica is healthy, or shed). The replica's version and zone come from the destination
/// metadata the routing snapshot put there. Feeds both Prometheus and the in-process traffic window; a retried
/// request counts once, under the replica that answered last, with its whole time.
/// </summary>
internal sealed class BalancerMetricsMiddleware(RequestDelegate next, BalancerMetrics metrics, TrafficWindows windows)
{
    private readonly TimeProvider _time = windows.Time;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var service = ServiceNames.Of(proxy.Cluster.Config);
        var started = _time.GetTimestamp();
        metrics.RequestStarted(service);
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            var destination = proxy.ProxiedDestination?.Model.Config;
            var metadata = destination?.Metadata;
            var version = metadata is null ? BalancerMetrics.None : metadata.GetValueOrDefault(BalancerMetadata.Version, string.Empty);
            var zone = metadata is null ? BalancerMetrics.None : metadata.GetValueOrDefault(BalancerMetadata.Zone, string.Empty);

            // An exception escaping YARP becomes a 500 from the server unless the response had already started.
            var status = completed || context.Response.HasStarted
                ? context.Response.StatusCode
                : StatusCodes.Status500InternalServerError;
            var finished = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(started, finished);
            metrics.RequestFinished(service, version, zone, status, elapsed);

            var windowVersion = destination is null ? BalancerMetrics.None : ServiceNames.VersionOf(destination);
            windows.For(service, windowVersion).Record(finished, elapsed, error: status >= StatusCodes.Status500InternalServerError);
        }
    }
}

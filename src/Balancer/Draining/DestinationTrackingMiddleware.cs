using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Draining;

/// <summary>
/// Counts requests in flight per destination (for draining) and per service version (for the traffic window).
/// Placed last, right before YARP's forwarder: load balancing has left exactly one destination, and from here to
/// the forwarder nothing awaits, so no request can reach a replica uncounted.
/// </summary>
internal sealed class DestinationTrackingMiddleware(RequestDelegate next, InFlightTracker tracker)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var destinations = proxy.AvailableDestinations;
        if (destinations.Count != 1)
        {
            // None: the forwarder answers 503. Several: no load balancing ran, and the forwarder's random pick is
            // not known here; the scaler's maximum drain time still bounds any wait.
            await next(context);
            return;
        }

        var destination = destinations[0];
        var entry = tracker.Enter(destination.DestinationId, destination.Model.Config, proxy.Cluster.Config);
        try
        {
            await next(context);
        }
        finally
        {
            tracker.Exit(entry);
        }
    }
}

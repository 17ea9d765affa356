using Bollard.Balancer.Draining;
using Bollard.Balancer.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Bollard.Balancer;

public static class BalancerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the balancer's routes (one per service, from the routing snapshot) with YARP's pipeline plus the
    /// request metrics. Requests matching no route fall through to the host (404 by default); a routed service
    /// with no healthy replica answers 503 at once.
    /// </summary>
    public static ReverseProxyConventionBuilder MapBalancer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // A custom pipeline replaces YARP's default one, so its steps are listed here in YARP's order.
        // Later steps (zone-aware picking, ejection, retries, shedding) slot in between.
        return endpoints.MapReverseProxy(pipeline =>
        {
            // Metrics, shedding and retries in one step; retries re-run everything below for each attempt.
            pipeline.UseBalancerRequests();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
            // Last: from here to the forwarder nothing awaits, so every request to a replica is counted.
            pipeline.UseDrainTracking();
        });
    }
}

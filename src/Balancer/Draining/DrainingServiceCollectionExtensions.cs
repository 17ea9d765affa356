using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Balancer.Draining;

internal static class DrainingServiceCollectionExtensions
{
    public static IServiceCollection AddBalancerDraining(this IServiceCollection services)
    {
        services.TryAddSingleton<InFlightTracker>();
        services.TryAddSingleton<IDrainMonitor, DrainMonitor>();
        return services;
    }

    /// <summary>Counts in-flight requests per destination; must be the last step before YARP's forwarder.</summary>
    public static IReverseProxyApplicationBuilder UseDrainTracking(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<DestinationTrackingMiddleware>();
        return pipeline;
    }
}

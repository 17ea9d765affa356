using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Balancer.Pipeline;

internal static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddBalancerRequests(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceRequestStates>();
        return services;
    }

    /// <summary>
    /// Metrics, shedding and retries (<see cref="BalancerRequestMiddleware"/>); first in YARP's pipeline so that it
    /// sees every outcome, and before session affinity and load balancing, which its retries re-run.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseBalancerRequests(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<BalancerRequestMiddleware>();
        return pipeline;
    }
}

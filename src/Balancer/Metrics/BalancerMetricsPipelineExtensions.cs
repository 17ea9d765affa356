using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Balancer.Metrics;

internal static class BalancerMetricsPipelineExtensions
{
    /// <summary>The traffic window (also readable as <see cref="ITrafficWindow"/>) on the host's TimeProvider.</summary>
    public static IServiceCollection AddBalancerTrafficWindow(this IServiceCollection services)
    {
        services.TryAddSingleton<TrafficWindows>();
        services.TryAddSingleton<ITrafficWindow>(sp => sp.GetRequiredService<TrafficWindows>());
        return services;
    }

    /// <summary>Adds per-request metrics to YARP's pipeline; put it first so it sees every outcome.</summary>
    public static IReverseProxyApplicationBuilder UseBalancerMetrics(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<BalancerMetricsMiddleware>();
        return pipeline;
    }
}

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
}

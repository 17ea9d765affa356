using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Bollard.Balancer.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>The active and passive policies (by name, for YARP's cluster config) and the filter that enables them.</summary>
    public static IServiceCollection AddBalancerHealth(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActiveHealthCheckPolicy, ThresholdActiveHealthPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPassiveHealthCheckPolicy, OutlierDetectionPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, HealthCheckConfigFilter>());
        return services;
    }
}

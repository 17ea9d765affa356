using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.LoadBalancing;

namespace Bollard.Balancer.LoadBalancing;

internal static class LoadBalancingServiceCollectionExtensions
{
    /// <summary>The weighted, zone-aware policy every Bollard cluster names, and its randomness (replaceable by tests).</summary>
    public static IServiceCollection AddBalancerLoadBalancing(this IServiceCollection services)
    {
        services.TryAddSingleton<IRandomSource, SharedRandomSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, WeightedZoneAwareLoadBalancingPolicy>());
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Balancer.Shedding;

internal static class SheddingServiceCollectionExtensions
{
    public static IServiceCollection AddBalancerShedding(this IServiceCollection services)
    {
        services.TryAddSingleton<ConcurrencyLimiters>();
        return services;
    }
}

using Microsoft.AspNetCore.Builder;
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

    /// <summary>Sheds requests above each service's concurrency limit; after metrics, so shed requests are counted.</summary>
    public static IReverseProxyApplicationBuilder UseLoadShedding(this IReverseProxyApplicationBuilder pipeline)
    {
        pipeline.UseMiddleware<LoadSheddingMiddleware>();
        return pipeline;
    }
}

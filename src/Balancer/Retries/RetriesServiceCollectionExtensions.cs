using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Bollard.Balancer.Retries;

internal static class RetriesServiceCollectionExtensions
{
    public static IServiceCollection AddBalancerRetries(this IServiceCollection services)
    {
        services.TryAddSingleton<RetryBudgets>();
        services.TryAddSingleton<RetryResponseTransform>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransformProvider, RetryTransformProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, RequestTimeoutConfigFilter>());
        return services;
    }

    /// <summary>Puts the 503 check of <see cref="RetryResponseTransform"/> on every route.</summary>
    private sealed class RetryTransformProvider(RetryResponseTransform transform) : ITransformProvider
    {
        public void ValidateRoute(TransformRouteValidationContext context)
        {
        }

        public void ValidateCluster(TransformClusterValidationContext context)
        {
        }

        public void Apply(TransformBuilderContext context) => context.AddResponseTransform(transform.ApplyAsync);
    }
}

using Bollard.Balancer.RateLimiting;
using Bollard.Discovery.Supervision;
using Bollard.Balancer.Draining;
using Bollard.Balancer.Forwarding;
using Bollard.Balancer.Health;
using Bollard.Balancer.LoadBalancing;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Pipeline;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Shedding;
using Bollard.Balancer.Weights;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer;

public static class BalancerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the balancer: YARP fed from the catalog through a routing snapshot, the watcher keeping it current, the
    /// tuned forwarder client and the request metrics. The host registers an <see cref="IServiceRouteSource"/> and
    /// an <c>IServiceCatalog</c> itself, and maps the proxy with <c>MapBalancer()</c>. Every piece is added with
    /// TryAdd, so anything registered before this call (a test double, a custom metrics registry) wins.
    /// </summary>
    public static IServiceCollection AddBalancer(this IServiceCollection services, Action<BalancerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<BalancerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BalancerOptions>, BalancerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddLoopHealth();
        services.TryAddSingleton(_ => new BalancerMetrics(Prometheus.Metrics.DefaultFactory));

        services.TryAddSingleton<SnapshotProxyConfigProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigProvider, SnapshotProxyConfigProvider>(
            sp => sp.GetRequiredService<SnapshotProxyConfigProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyConfigFilter, SettingsRevisionConfigFilter>());

        // Before AddReverseProxy, whose own TryAdd then keeps this one.
        services.TryAddSingleton<IForwarderHttpClientFactory, BalancerForwarderHttpClientFactory>();
        services.AddReverseProxy();
        services.AddBalancerTrafficWindow().AddBalancerDraining().AddBalancerHealth().AddBalancerRetries().AddBalancerShedding().AddBalancerRequests();

        services.AddBalancerLoadBalancing().AddBalancerVersionWeights();
        services.AddHostedService<CatalogRoutingWatcher>();
        services.AddHostedService<RoutingSnapshotPersister>();
        services.AddHostedService<BalancerSeriesRetention>();
        services.TryAddSingleton<AccessLogs.AccessLogs>();
        services.AddRouteRateLimits();
        services.AddHostedService<AccessLogs.AccessLogWriter>();
        return services;
    }
}

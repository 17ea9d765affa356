using Bollard.Discovery.Supervision;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Discovery;

public static class DiscoveryServiceCollectionExtensions
{
    /// <summary>Named HttpClient used for Consul; its timeout is infinite because every call sets its own.</summary>
    public const string ConsulHttpClientName = "Bollard.Discovery.Consul";

    /// <summary>Named HttpClient used by the embedded catalog's health probes.</summary>
    public const string HealthProbeHttpClientName = "Bollard.Discovery.HealthProbe";

    /// <summary>
    /// Adds <see cref="IServiceCatalog"/> (the embedded catalog by default, Consul when
    /// <see cref="DiscoveryOptions.Catalog"/> says so) plus Consul's KV store, its watch, sessions and TTL checks. Everything is added
    /// with TryAdd, so a test or the host can register its own piece first. Options are validated at start.
    /// </summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, Action<DiscoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DiscoveryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscoveryOptions>, DiscoveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddLoopHealth();
        services.AddHttpClient(ConsulHttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(HealthProbeHttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.TryAddSingleton<IHealthProber>(sp => new HttpHealthProber(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HealthProbeHttpClientName),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new EmbeddedServiceCatalog(
            sp.GetRequiredService<IHealthProber>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<EmbeddedServiceCatalog>>()));
        services.TryAddSingleton(sp => new ConsulServiceCatalog(
            ConsulClient(sp),
            ConsulOptions(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ConsulServiceCatalog>>()));
        services.TryAddSingleton(sp => new ConsulKeyValueStore(ConsulClient(sp), ConsulOptions(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ConsulKeyValueWatch(
            ConsulClient(sp),
            ConsulOptions(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ConsulKeyValueWatch>>()));
        services.TryAddSingleton(sp => new ConsulSessions(ConsulClient(sp), ConsulOptions(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ConsulTtlCheck(ConsulClient(sp), ConsulOptions(sp), sp.GetRequiredService<TimeProvider>()));

        // Resolving the chosen adapter only means the other one is never created (no idle check loop, no HttpClient).
        services.TryAddSingleton<IServiceCatalog>(sp =>
            sp.GetRequiredService<IOptions<DiscoveryOptions>>().Value.Catalog == CatalogKind.Consul
                ? sp.GetRequiredService<ConsulServiceCatalog>()
                : sp.GetRequiredService<EmbeddedServiceCatalog>());
        return services;
    }

    private static HttpClient ConsulClient(IServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(ConsulHttpClientName);

    private static ConsulOptions ConsulOptions(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DiscoveryOptions>>().Value.Consul;
}

using Bollard.Discovery.Supervision;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Balancer.Weights;

public static class WeightsServiceCollectionExtensions
{
    /// <summary>
    /// Reads version weights from Consul KV (<c>bollard/&lt;cluster&gt;/weights/&lt;service&gt;</c>, JSON
    /// <c>{"v1":950,"v2":50}</c>) instead of the in-process <see cref="InMemoryVersionWeights"/>. Uses the Consul
    /// agent configured for discovery (<c>AddDiscovery</c>). Before or after <c>AddBalancer</c>, this one wins.
    /// </summary>
    public static IServiceCollection AddConsulVersionWeights(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddLoopHealth();
        services.TryAddSingleton(sp => new ConsulVersionWeights(
            new ConsulKeyValueWatch(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(DiscoveryServiceCollectionExtensions.ConsulHttpClientName),
                sp.GetRequiredService<IOptions<DiscoveryOptions>>().Value.Consul,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<ConsulKeyValueWatch>>()),
            sp.GetRequiredService<IOptions<BalancerOptions>>(),
            sp.GetRequiredService<ILogger<ConsulVersionWeights>>(),
            sp.GetRequiredService<LoopHealth>()));
        services.RemoveAll<IVersionWeightSource>();
        services.AddSingleton<IVersionWeightSource>(sp => sp.GetRequiredService<ConsulVersionWeights>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConsulVersionWeights>(sp => sp.GetRequiredService<ConsulVersionWeights>()));
        return services;
    }

    /// <summary>The default weight source: <see cref="InMemoryVersionWeights"/>, which the in-process control plane sets.</summary>
    internal static IServiceCollection AddBalancerVersionWeights(this IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryVersionWeights>();
        services.TryAddSingleton<IVersionWeightSource>(sp => sp.GetRequiredService<InMemoryVersionWeights>());
        return services;
    }
}

using Bollard.Discovery.Consul;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IStateStore"/> and <see cref="IAuditLog"/>: Consul's when <see cref="StateOptions.Backend"/> says
    /// so (its <see cref="ConsulKeyValueStore"/> comes from AddDiscovery), local files otherwise. TryAdd throughout,
    /// so a test or the host can register its own first.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, Action<StateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StateOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateOptions>, StateOptionsValidator>());
        services.TryAddSingleton<IStateStore>(sp => Options(sp) is { Backend: StateBackend.Consul } o
            ? new ConsulStateStore(sp.GetRequiredService<ConsulKeyValueStore>(), o.Cluster)
            : new LocalStateStore(Options(sp).Directory));
        services.TryAddSingleton<IAuditLog>(sp => Options(sp) is { Backend: StateBackend.Consul } o
            ? new ConsulAuditLog(sp.GetRequiredService<ConsulKeyValueStore>(), o.Cluster)
            : new LocalAuditLog(Options(sp).Directory));
        return services;
    }

    private static StateOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StateOptions>>().Value;
}

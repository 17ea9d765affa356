using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.State;

public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IStateStore"/>, <see cref="IAuditLog"/> and the writer of the decision log
    /// (<see cref="DecisionWriter"/>, fed by <see cref="DecisionLog"/>): Consul's when <see cref="StateOptions.Backend"/> says
    /// so (its <see cref="ConsulKeyValueStore"/> comes from AddDiscovery), local files otherwise. TryAdd throughout,
    /// so a test or the host can register its own first.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, Action<StateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StateOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateOptions>, StateOptionsValidator>());
        services.TryAddSingleton<IStateStore>(sp => Options(sp) is { Backend: StateBackend.Consul } o
            ? new ConsulStateStore(sp.GetRequiredService<ConsulKeyValueStore>(), sp.GetRequiredService<ConsulKeyValueWatch>(), o.Cluster)
            : new LocalStateStore(Options(sp).Directory));
        services.TryAddSingleton<IAuditLog>(sp => Options(sp) is { Backend: StateBackend.Consul } o
            ? new ConsulAuditLog(sp.GetRequiredService<ConsulKeyValueStore>(), o.Cluster)
            : new LocalAuditLog(Options(sp).Directory));

        // The decision log outlives the agent that decided: queued by DecisionLog, written in batches by DecisionWriter.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddLoopHealth();
        services.TryAddSingleton(_ => new DecisionOutbox());
        services.TryAddSingleton<DecisionStore>();
        services.TryAddSingleton<DecisionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionWriter>());
        return services;
    }

    private static StateOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StateOptions>>().Value;
}

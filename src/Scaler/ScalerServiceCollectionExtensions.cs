using Bollard.Discovery.Supervision;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Health;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Traffic;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler;

/// <summary>Composes the scaler: the reconcile loop and what it needs, except the ports the host chooses
/// (<see cref="Runtime.IContainerRuntime"/>, <see cref="Discovery.IServiceCatalog"/>, <see cref="Specs.IServiceSpecSource"/>).</summary>
public static class ScalerServiceCollectionExtensions
{
    public static IServiceCollection AddScaler(this IServiceCollection services, Action<ScalerOptions> configure)
    {
        services.AddOptions<ScalerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScalerOptions>, ScalerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Metrics.ScalerMetrics(Prometheus.Metrics.DefaultFactory, sp.GetRequiredService<IOptions<ScalerOptions>>().Value.Cluster));
        services.TryAddLoopHealth();
        // Persisted when the state store is added too (AddStateStore: its outbox and store), in memory only otherwise.
        services.TryAddSingleton(sp => new DecisionLog(DecisionLog.DefaultCapacity, sp.GetService<DecisionOutbox>(), sp.GetService<DecisionStore>(), sp.GetService<Metrics.ScalerMetrics>()));
        services.AddHttpClient(nameof(HttpReplicaProber));
        services.TryAddSingleton<IReplicaProber>(sp =>
            new HttpReplicaProber(sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(HttpReplicaProber))));
        services.TryAddSingleton<IReplicaDrain>(sp => new TimedDrain(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IServiceLoadSource, NoLoadSource>();
        services.TryAddSingleton<IVersionTraffic, NoVersionTraffic>();
        services.TryAddSingleton<DeploymentStore>();
        services.TryAddImagePinning();
        services.TryAddSingleton<DeploymentCoordinator>();

        // One host, the local engine, unless the host composition lists several.
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ScalerOptions>>().Value;
            return new HostSet([new ManagedHost(o.HostName, o.Zone, o.PublishAddress, o.AdvertiseAddress, sp.GetRequiredService<IContainerRuntime>())]);
        });
        services.TryAddSingleton<IReconcileGate, OpenReconcileGate>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<ReconcileLoop>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReconcileLoop>());
        return services;
    }
}

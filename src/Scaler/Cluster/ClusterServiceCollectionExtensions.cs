using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Cluster mode (agent config <c>controller: cluster</c>): this agent publishes its hosts and runs the controller's
    /// commands for them (<see cref="HostAgent"/>), and reconciles the whole cluster only while it holds the controller
    /// lock (<see cref="ClusterController"/>). Needs Consul (<c>AddDiscovery</c> with Consul) and <c>AddScaler</c>.
    /// </summary>
    public static IServiceCollection AddClusterController(this IServiceCollection services, Action<ClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LocalHosts(sp.GetRequiredService<HostSet>().Hosts));
        services.TryAddSingleton<AgentSession>();
        services.TryAddSingleton(sp => new ConsulKeyValueWatch(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(DiscoveryServiceCollectionExtensions.ConsulHttpClientName),
            sp.GetRequiredService<IOptions<DiscoveryOptions>>().Value.Consul,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ConsulKeyValueWatch>>()));
        services.TryAddSingleton<ClusterHostsWatch>();
        services.TryAddSingleton<HostCommandClient>();
        services.TryAddSingleton<AgentHeartbeat>();

        // A pass whose lease ran out waits this long for a round to confirm the lock (two rounds), then stops.
        services.TryAddSingleton(sp => new LeaderGate(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.HeartbeatInterval * 2));
        services.RemoveAll<IReconcileGate>();
        services.AddSingleton<IReconcileGate>(sp => sp.GetRequiredService<LeaderGate>());
        services.TryAddSingleton(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            return new ConsulLeaderLock(
                sp.GetRequiredService<ConsulSessions>(),
                sp.GetRequiredService<ConsulKeyValueStore>(),
                new LeaderLockOptions
                {
                    Key = ClusterKeys.Leader(sp.GetRequiredService<IOptions<ScalerOptions>>().Value.Cluster),
                    Holder = cluster.Agent,
                    SessionTtl = cluster.LeaderSessionTtl,
                    LockDelay = cluster.LeaderLockDelay,

                    // Dies with this agent's liveness check, and takes the commands it holds with it.
                    Checks = sp.GetRequiredService<AgentHeartbeat>().SessionChecks,
                    Behavior = ConsulSessionBehavior.Delete,
                },
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<ConsulLeaderLock>>());
        });
        services.TryAddSingleton<HostAgent>();
        services.TryAddSingleton<ClusterController>();
        services.TryAddSingleton<ClusterTraffic>();

        // First, so that it stops last: the controller has released its lock before the liveness check goes.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AgentHeartbeat>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HostAgent>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ClusterController>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ClusterTraffic>());

        // Any agent answers the admin API for the whole cluster; rollout commands reach the controller through Consul.
        services.TryAddSingleton<ControllerRequestClient>();
        services.TryAddSingleton<ControllerRequestRunner>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ControllerRequestRunner>());
        services.TryAddSingleton<ClusterControlPlane>();
        services.RemoveAll<Admin.IControlPlane>();
        services.AddSingleton<Admin.IControlPlane>(sp => sp.GetRequiredService<ClusterControlPlane>());
        services.RemoveAll<Admin.IRunningContainers>();
        services.AddSingleton<Admin.IRunningContainers, ClusterContainers>();

        // Whoever controls scales on the load of every balancer of the cluster, not on its own share.
        services.RemoveAll<IServiceLoadSource>();
        services.AddSingleton<IServiceLoadSource, ClusterLoadSource>();

        // Judges a canary on every balancer's requests.
        services.RemoveAll<IVersionTraffic>();
        services.AddSingleton<IVersionTraffic, ClusterVersionTraffic>();

        // And stops a removed replica only once every balancer of the cluster has drained it.
        services.RemoveAll<IReplicaDrain>();
        services.AddSingleton<IReplicaDrain, ClusterDrain>();
        return services;
    }
}

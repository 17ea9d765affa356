using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Hosts;

/// <summary>
/// One Docker engine the scaler places replicas on, with the zone (rack) it stands in. On a real cluster each host's
/// agent manages its local engine; several engines listed in one agent's config let a single machine stand for
/// several hosts and zones (this is how the tests run three zones).
/// </summary>
/// <param name="Name">Unique host name (labels and decisions use it).</param>
/// <param name="Zone">The zone or rack of the host.</param>
/// <param name="PublishAddress">Host address container ports are published on.</param>
/// <param name="AdvertiseAddress">The address registered in the catalog; null means <paramref name="PublishAddress"/>.</param>
/// <param name="Runtime">The engine.</param>
public sealed record ManagedHost(string Name, string Zone, string PublishAddress, string? AdvertiseAddress, IContainerRuntime Runtime)
{
    public string RegisteredAddress => AdvertiseAddress ?? PublishAddress;

    /// <summary>
    /// Where this host's replicas are registered; null: the agent's own catalog. A replica must be registered in the
    /// Consul agent of the host it runs on (its check then lives and dies with that host), so a host managed from
    /// another agent has its registrations done by its own agent (see Cluster/).
    /// </summary>
    public IReplicaRegistrar? Registrar { get; init; }
}

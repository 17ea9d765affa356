using Bollard.Scaler.Health;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Reconcile;

/// <summary>Everything one pass decides from: desired state, observed state and the time. Nothing else.</summary>
/// <param name="Targets">What each declared service should run (services absent here are not declared).</param>
/// <param name="Hosts">The hosts and whether each could be observed this pass.</param>
/// <param name="Replicas">Every managed container observed on the available hosts, with what the scaler knows of it.</param>
/// <param name="Frozen">Services that may have replicas on an unreachable host: nothing of theirs is removed for
/// being surplus (static stability: no decision on missing data); replacements are still started elsewhere.</param>
/// <param name="Now">The pass's clock reading.</param>
/// <param name="CreateBlocked">Services and hosts where the last create failed and is backing off: no creates of that
/// service on that host this pass (other hosts are not held back by one bad engine).</param>
public sealed record ReconcileInput(
    IReadOnlyList<ServiceTarget> Targets,
    IReadOnlyList<HostSlot> Hosts,
    IReadOnlyList<ReplicaView> Replicas,
    IReadOnlySet<string> Frozen,
    DateTimeOffset Now,
    IReadOnlySet<(string Service, string Host)> CreateBlocked)
{
    /// <summary>Versions whose replicas keep failing at start and are backing off (<see cref="CrashLoops"/>): no creates of them this pass.</summary>
    public IReadOnlySet<(string Service, string Version)> CrashBackoff { get; init; } = new HashSet<(string, string)>();

    /// <summary>What each host holds and is pulling, by host name; a host absent here holds every image (not known).</summary>
    public IReadOnlyDictionary<string, HostImages> Images { get; init; } = new Dictionary<string, HostImages>();
}

/// <summary>A managed container on a host, with its health as probed and whether it is in the catalog.</summary>
public sealed record ReplicaView(string Host, ObservedContainer Container, ReplicaHealth Health, bool Registered);

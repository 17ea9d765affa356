using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>One step of a reconcile plan. Every step carries the human reason it was decided for.</summary>
public abstract record ReconcileAction(string Service, string Host, string Reason);

/// <summary>Start one new replica of a version on a host.</summary>
public sealed record CreateReplica(ServiceSpec Spec, string Host, string Reason) : ReconcileAction(Spec.Name, Host, Reason);

/// <summary>Put a replica whose health check passed into the catalog, so the balancer routes to it.</summary>
public sealed record RegisterReplica(ServiceSpec Spec, string Host, ObservedContainer Container, string Reason)
    : ReconcileAction(Spec.Name, Host, Reason);

/// <summary>
/// Take a replica out: out of the catalog first (no new requests), then, after its in-flight requests finished (at
/// most <paramref name="Drain"/>), stop it with <paramref name="GracePeriod"/> and remove it.
/// </summary>
public sealed record RemoveReplica(string Host, ObservedContainer Container, TimeSpan Drain, TimeSpan GracePeriod, string Reason)
    : ReconcileAction(Container.Service, Host, Reason)
{
    /// <summary>Why it failed, when it is removed for failing (null for a surplus or an old version's replica).</summary>
    public ReplicaFailure? Failure { get; init; }
}

/// <summary>
/// Pull a version's image onto a host that lacks it, before any replica of it is created there (in the background: a
/// pass never waits for a download). One per host and image, whichever services need it.
/// </summary>
public sealed record PullImage(string Service, string Host, string Image, string Reason) : ReconcileAction(Service, Host, Reason);

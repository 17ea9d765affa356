using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>One step of a reconcile plan. Every step carries the human reason it was decided for.</summary>
public abstract record ReconcileAction(string Service, string Reason);

/// <summary>Start one new replica of the spec's current version.</summary>
public sealed record CreateReplica(ServiceSpec Spec, string Reason) : ReconcileAction(Spec.Name, Reason);

/// <summary>Put a replica whose health check passed into the catalog, so the balancer routes to it.</summary>
public sealed record RegisterReplica(ServiceSpec Spec, ObservedContainer Container, string Reason)
    : ReconcileAction(Spec.Name, Reason);

/// <summary>
/// Take a replica out: out of the catalog first (no new requests), then, after <paramref name="Drain"/> for its
/// in-flight requests, stop it with <paramref name="GracePeriod"/> and remove it.
/// </summary>
public sealed record RemoveReplica(ObservedContainer Container, TimeSpan Drain, TimeSpan GracePeriod, string Reason)
    : ReconcileAction(Container.Service, Reason);

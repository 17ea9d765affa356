using Bollard.Scaler.Health;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>Everything one pass decides from: desired state, observed state and the time. Nothing else.</summary>
/// <param name="Specs">The desired services.</param>
/// <param name="Replicas">Every managed container of this host's cluster, with what the scaler knows of it.</param>
/// <param name="Now">The pass's clock reading.</param>
/// <param name="CreateBlocked">Services whose last create failed and are backing off: no creates this pass.</param>
public sealed record ReconcileInput(
    IReadOnlyList<ServiceSpec> Specs,
    IReadOnlyList<ReplicaView> Replicas,
    DateTimeOffset Now,
    IReadOnlySet<string> CreateBlocked);

/// <summary>A managed container with its health as probed and whether it is in the catalog.</summary>
public sealed record ReplicaView(ObservedContainer Container, ReplicaHealth Health, bool Registered);

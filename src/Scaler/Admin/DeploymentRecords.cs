using Bollard.Scaler.Deployments;
using Bollard.Scaler.Reconcile;

namespace Bollard.Scaler.Admin;

/// <summary>
/// A service's deployment record (its rollout, stable and new versions) as the admin API shows it: while this agent
/// decides (always on a single host; as a cluster's controller), the one its reconcile loop holds, which is the one it
/// last saved; otherwise the one in the state store, where the controller saves every step: an agent that is not the
/// controller holds none, or an old one from when it was.
/// </summary>
internal sealed class DeploymentRecords(DeploymentCoordinator coordinator, DeploymentStore store, IReconcileGate gate)
{
    /// <exception cref="State.StateStoreUnavailableException">The store must be read and cannot be.</exception>
    public async Task<Deployment?> ReadAsync(string service, CancellationToken cancellationToken) =>
        (gate.IsOpen ? coordinator.Current(service) : null) ?? await store.ReadAsync(service, cancellationToken);
}

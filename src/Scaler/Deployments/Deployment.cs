using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// The durable record of one service's deployment: the stable version's spec (to keep or re-create its replicas),
/// and the rollout toward a new version with that version's spec, when one runs or ran last. Saved in the state
/// store after every change, so a daemon killed mid-rollout resumes at the same step.
/// </summary>
/// <param name="Stable">The spec of the version that serves when no rollout runs.</param>
/// <param name="Rollout">The latest rollout (running, or finished: kept for status, undo and to not retry a
/// version that was rolled back).</param>
/// <param name="New">The spec of the rollout's new version.</param>
/// <param name="Previous">After a success, the spec of the version it replaced.</param>
/// <param name="Settled">True once the rollout has nothing left to do: finished, and the version it leaves behind may go
/// (after blue/green's rollback window, or once a rolled-back version's weight is 0). Until then every pass advances
/// it, even after it succeeded: the old set stays warm and an undo is still possible.</param>
public sealed record Deployment(ServiceSpec Stable, RolloutState? Rollout = null, ServiceSpec? New = null, ServiceSpec? Previous = null, bool Settled = false)
{
    public bool IsRolling => Rollout is not null && !Settled;
}

namespace Bollard.Scaler.Rollouts;

/// <summary>
/// One decision of the rollout engine: the state to store and what the controller should make true now.
/// Weights are per mille; <see cref="StableWeight"/> is derived, so the two always sum to 1000.
/// </summary>
/// <param name="State">The next state (equal to the input when nothing changed: store only when it differs).</param>
/// <param name="NewWeight">The new version's share of requests, 0..1000; 0 whenever it has no ready replica.</param>
/// <param name="StableReplicas">Replicas of the stable version to run (never negative).</param>
/// <param name="NewReplicas">Replicas of the new version to run (never negative).</param>
/// <param name="RemovableVersion">The version the rollout no longer needs: all its containers may drain and go
/// (the stable one after success, the new one after a rollback or abort); null while both are needed.</param>
/// <param name="Reason">What was decided and why, with the numbers.</param>
/// <param name="Check">The analysis check that ran in this step, if one did.</param>
public sealed record RolloutStep(
    RolloutState State,
    int NewWeight,
    int StableReplicas,
    int NewReplicas,
    string? RemovableVersion,
    string Reason,
    AnalysisCheck? Check)
{
    public int StableWeight => Weights.Total - NewWeight;
}

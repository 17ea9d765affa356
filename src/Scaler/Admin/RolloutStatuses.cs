using Bollard.Scaler.Rollouts;
using AdminPhase = Bollard.Scaler.Admin.RolloutPhase;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.Scaler.Admin;

/// <summary>How the rollout engine's state is shown through the API.</summary>
internal static class RolloutStatuses
{
    public static RolloutStatus Of(RolloutState rollout) => new(
        rollout.Service,
        rollout.Phase switch
        {
            EnginePhase.Paused => AdminPhase.Paused,
            EnginePhase.Succeeded => AdminPhase.Succeeded,
            EnginePhase.Aborted => AdminPhase.Aborted,
            EnginePhase.RolledBack => AdminPhase.RolledBack,
            _ => AdminPhase.Progressing,
        },
        StrategyName(rollout.Spec.Strategy),
        rollout.StableVersion,
        rollout.NewVersion,
        rollout.StepIndex,
        TotalSteps(rollout.Spec.Strategy),
        [new VersionWeight(rollout.StableVersion, (Weights.Total - rollout.CanaryWeight) / 10.0), new VersionWeight(rollout.NewVersion, rollout.CanaryWeight / 10.0)],
        $"{rollout.Phase}: {rollout.Reason}",
        rollout.StartedAt,
        rollout.StepStartedAt);

    public static string StrategyName(StrategySpec strategy) => strategy switch
    {
        CanarySpec => "canary",
        BlueGreenSpec => "blueGreen",
        _ => "rolling",
    };

    public static int TotalSteps(StrategySpec strategy) => strategy is CanarySpec canary ? canary.Steps.Count : 1;
}

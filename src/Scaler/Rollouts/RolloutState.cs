namespace Bollard.Scaler.Rollouts;

/// <summary>
/// Everything a rollout needs to continue, and nothing derived: the replica counts and weights of a step are
/// recomputed from this and the live observation on every pass, so a daemon that stops at any point and loads the
/// stored state resumes at the same step. Immutable, value-equal (store only when it changed), JSON-serialisable.
/// </summary>
public sealed record RolloutState
{
    public required string Service { get; init; }

    /// <summary>The version serving before the rollout (and after a rollback).</summary>
    public required string StableVersion { get; init; }

    /// <summary>The version being rolled out.</summary>
    public required string NewVersion { get; init; }

    /// <summary>The rollout spec as it was when the rollout started.</summary>
    public required RolloutSpec Spec { get; init; }

    public RolloutPhase Phase { get; init; } = RolloutPhase.Progressing;

    /// <summary>Canary: the index of the step being carried out; equal to the step count once all are done.</summary>
    public int StepIndex { get; init; }

    /// <summary>Canary: the new version's weight in per mille (0..1000) as last applied. Rolling and blue/green
    /// leave it 0: their weights follow the ready replicas or the switch.</summary>
    public int CanaryWeight { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the current step (or phase) began: timed pauses count from here.</summary>
    public DateTimeOffset StepStartedAt { get; init; }

    /// <summary>When the next analysis check is due; null while none is scheduled (no traffic to judge yet).</summary>
    public DateTimeOffset? NextCheckAt { get; init; }

    /// <summary>Failed analysis checks so far; at <see cref="AnalysisSpec.FailureLimit"/> the rollout rolls back.</summary>
    public int FailedChecks { get; init; }

    /// <summary>Blue/green: when all traffic switched to the new set.</summary>
    public DateTimeOffset? SwitchedAt { get; init; }

    /// <summary>Blue/green: until when the old set stays warm and an undo is allowed.</summary>
    public DateTimeOffset? RollbackWindowEnd { get; init; }

    /// <summary>The last <see cref="RolloutDefaults.RecentChecks"/> analysis checks, oldest first.</summary>
    public ValueList<AnalysisCheck> RecentChecks { get; init; } = [];

    /// <summary>Why the rollout is in its phase (the reason of the last transition or command).</summary>
    public string Reason { get; init; } = "";
}

using System.Text.Json.Serialization;

namespace Bollard.Scaler.Rollouts;

/// <summary>Where a rollout is. Stored by name, so adding a phase never renumbers a saved state.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutPhase>))]
public enum RolloutPhase
{
    /// <summary>Working through its steps (bringing replicas up, waiting out a timed pause).</summary>
    Progressing,

    /// <summary>Held by hand or by a <c>pause: {}</c> step; analysis still runs and can still roll back.</summary>
    Paused,

    /// <summary>At an analysis step (canary) or verifying the full new set before the switch (blue/green).</summary>
    Analyzing,

    /// <summary>Moving all traffic to the new version as soon as it has every replica ready.</summary>
    Promoting,

    /// <summary>All traffic is on the new version. Blue/green: the old set stays warm until the rollback window ends.</summary>
    Succeeded,

    /// <summary>The new version has no traffic; its containers drain and go, the stable set comes back to full size.</summary>
    RollingBack,

    /// <summary>Finished: back on the stable version after failed checks or an undo.</summary>
    RolledBack,

    /// <summary>Finished: stopped by hand; the new version goes away.</summary>
    Aborted,
}

/// <summary>Phase groupings the engine and the commands share.</summary>
public static class RolloutPhases
{
    /// <summary>No command moves a rollout out of these (except an undo of a blue/green success in its window).</summary>
    public static bool IsFinished(this RolloutPhase phase) =>
        phase is RolloutPhase.Succeeded or RolloutPhase.RolledBack or RolloutPhase.Aborted;

    /// <summary>Moving away from the new version: it gets no traffic and may be removed.</summary>
    public static bool IsBackward(this RolloutPhase phase) =>
        phase is RolloutPhase.RollingBack or RolloutPhase.RolledBack or RolloutPhase.Aborted;
}

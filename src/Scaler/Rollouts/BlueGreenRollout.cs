namespace Bollard.Scaler.Rollouts;

/// <summary>
/// Blue/green: the full new set comes up next to the old one with no traffic, is optionally verified, then takes
/// 100% at once. The old set stays at full size (warm) until the rollback window ends, so an undo, by hand or by
/// failed checks in the window, is a weight switch and not a cold start.
/// </summary>
internal static class BlueGreenRollout
{
    public static RolloutEngine.Transition Transition(RolloutState state, BlueGreenSpec spec, RolloutObservation seen, DateTimeOffset now, AnalysisCheck? check)
    {
        var total = seen.DesiredTotal;
        var ready = $"{seen.NewReady} of {total} new replicas ready";
        switch (state.Phase)
        {
            case RolloutPhase.Progressing when seen.NewReady >= total && spec.Verify:
                return Move(state with { Phase = RolloutPhase.Analyzing, StepStartedAt = now, NextCheckAt = now + state.Spec.Analysis.Interval }, $"{ready}; verifying before the switch");
            case RolloutPhase.Progressing or RolloutPhase.Promoting when seen.NewReady >= total:
                return Switch(state, spec, now, ready);
            case RolloutPhase.Progressing or RolloutPhase.Promoting:
                return new(state, $"bringing the new set up: {ready}");
            case RolloutPhase.Analyzing when check?.Result.Verdict == AnalysisVerdict.Pass && seen.NewReady >= total:
                return Switch(state, spec, now, $"verification passed, {ready}");
            case RolloutPhase.Analyzing:
                return new(state, $"verifying the new set ({ready}): waiting for a passing check");
            case RolloutPhase.Paused:
                return new(state, $"paused by hand before the switch ({ready})");
            case RolloutPhase.Succeeded when now < state.RollbackWindowEnd:
                return new(state, $"switched to {state.NewVersion}; {state.StableVersion} kept warm for an undo until {state.RollbackWindowEnd:u}");
            case RolloutPhase.Succeeded:
                return new(state, $"switched to {state.NewVersion}; the rollback window ended at {state.RollbackWindowEnd:u}, {state.StableVersion} scales away");
            default:
                return BackwardRollout.Transition(state, seen);
        }
    }

    public static RolloutEngine.ReplicaTargets Targets(RolloutState state, RolloutObservation seen, DateTimeOffset now)
    {
        // After the window the old set goes, but only while the new one is whole: until then the old replicas still
        // running are kept (never re-created) as the balancer's fallback.
        var total = seen.DesiredTotal;
        return state.Phase != RolloutPhase.Succeeded ? new(0, total, total)
            : now < state.RollbackWindowEnd ? new(Weights.Total, total, total)
            : new(Weights.Total, seen.NewReady < total ? Math.Min(total, seen.StableReady) : 0, total);
    }

    private static RolloutEngine.Transition Switch(RolloutState state, BlueGreenSpec spec, DateTimeOffset now, string why)
    {
        var reason = $"{why}: 100% of traffic switched to {state.NewVersion}; {state.StableVersion} kept warm for {Specs.Durations.Format(spec.RollbackWindow)}";
        return new(state with
        {
            Phase = RolloutPhase.Succeeded,
            CanaryWeight = Weights.Total,
            SwitchedAt = now,
            RollbackWindowEnd = now + spec.RollbackWindow,
            StepStartedAt = now,

            // Checks go on in the window: failures there switch back by themselves.
            NextCheckAt = spec.RollbackWindow > TimeSpan.Zero ? now + state.Spec.Analysis.Interval : null,
            Reason = reason,
        }, reason);
    }

    private static RolloutEngine.Transition Move(RolloutState state, string reason) => new(state with { Reason = reason }, reason);
}

namespace Bollard.Scaler.Rollouts;

/// <summary>
/// Rolling update: new replicas replace old ones in batches bounded by maxSurge (containers above the desired
/// count) and maxUnavailable (ready replicas below it). An old replica drains only when the ready replicas left
/// after it are still at least desired - maxUnavailable, so with the default maxUnavailable 0 every new replica is
/// healthy before an old one drains. Traffic follows the ready replicas of each version (each replica gets an
/// even share). An abort rolls the same way back: old replicas first, then the new ones drain.
/// </summary>
internal static class RollingRollout
{
    public static RolloutEngine.Transition Transition(RolloutState state, RolloutObservation seen, DateTimeOffset now)
    {
        var progress = $"{seen.NewReady} of {seen.DesiredTotal} new replicas ready, {seen.StableReady} old ready";
        switch (state.Phase)
        {
            case RolloutPhase.Progressing or RolloutPhase.Promoting when seen.NewReady >= seen.DesiredTotal:
                var reason = $"all {seen.DesiredTotal} new replicas ready; {state.StableVersion} drains and goes";
                return new(state with { Phase = RolloutPhase.Succeeded, CanaryWeight = Weights.Total, StepStartedAt = now, Reason = reason }, reason);
            case RolloutPhase.Progressing:
                return new(state, $"replacing: {progress}");
            case RolloutPhase.Promoting:
                return new(state, $"promoting (no surge limit): {progress}");
            case RolloutPhase.Paused:
                return new(state, $"paused by hand: {progress}; no old replica drains");
            case RolloutPhase.Aborted:
                return new(state, $"aborted, rolling back: {seen.StableReady} of {seen.DesiredTotal} old replicas ready, {seen.NewReady} new ready");
            default:
                return new(state, $"rollout {BackwardRollout.Describe(state.Phase)}: {state.Reason}");
        }
    }

    public static RolloutEngine.ReplicaTargets Targets(RolloutState state, RollingSpec spec, RolloutObservation seen)
    {
        var total = seen.DesiredTotal;

        // Both limits 0 could never make progress; the parser refuses it, and a stored state surges by one.
        var surge = spec.MaxSurge == 0 && spec.MaxUnavailable == 0 ? 1 : Math.Max(0, spec.MaxSurge);
        var unavailable = Math.Max(0, spec.MaxUnavailable);
        int stable, fresh;
        switch (state.Phase)
        {
            case RolloutPhase.Succeeded:
                (stable, fresh) = (0, total);
                break;
            case RolloutPhase.Aborted or RolloutPhase.RollingBack or RolloutPhase.RolledBack:
                (fresh, stable) = Roll(total, surge, unavailable, seen.NewReady, seen.StableReady);
                break;
            case RolloutPhase.Paused:
                (stable, fresh) = Roll(total, surge, unavailable, seen.StableReady, seen.NewReady);
                stable = Math.Max(stable, Math.Min(seen.StableReady, total));
                break;
            default:
                (stable, fresh) = Roll(total, state.Phase == RolloutPhase.Promoting ? total : surge, unavailable, seen.StableReady, seen.NewReady);
                break;
        }

        var stableServing = Math.Min(seen.StableReady, stable);
        var newServing = Math.Min(seen.NewReady, fresh);
        var serving = stableServing + newServing;
        var weight = serving == 0 ? 0 : (int)Math.Round((double)Weights.Total * newServing / serving, MidpointRounding.AwayFromZero);
        return new(weight, stable, fresh);
    }

    /// <summary>
    /// One batch from the version going (<paramref name="fromReady"/> ready) to the version coming
    /// (<paramref name="toReady"/> ready): how many of each to run. The going version keeps enough ready replicas that
    /// the ready total stays at or above desired - unavailable; the coming one grows into the room the surge leaves
    /// next to the going replicas still up (and never drops a replica already ready).
    /// </summary>
    internal static (int From, int To) Roll(int total, int surge, int unavailable, int fromReady, int toReady)
    {
        var keep = Math.Clamp(total - unavailable - toReady, 0, fromReady);
        var grow = Math.Clamp(Math.Max(total + surge - fromReady, toReady), 0, total);
        return (keep, grow);
    }
}

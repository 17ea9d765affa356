namespace Bollard.Scaler.Rollouts;

/// <summary>
/// When analysis checks run and what a failure does. A check runs once per interval while the new version is
/// exposed to judgeable traffic (a canary with weight, a blue/green set being verified or in its rollback window),
/// including while paused: a bad version is rolled back even when nobody is watching. Reaching the failure limit
/// sends the new version's weight to 0 in the same pass.
/// </summary>
internal static class AnalysisSchedule
{
    public static (RolloutState State, string? Reason, AnalysisCheck? Check) Run(RolloutState state, RolloutObservation seen, DateTimeOffset now)
    {
        if (state.NextCheckAt is not { } due || now < due || !IsActive(state, now))
        {
            return (state, null, null);
        }

        var spec = state.Spec.Analysis;
        // The first check that finds the new version serving judges its errors only: a fresh replica's first second
        // of requests is slow everywhere (JIT), and judging that would roll back good versions on busy hosts.
        var warmingUp = !state.RecentChecks.Any(c => c.Result.Verdict != AnalysisVerdict.Inconclusive);
        var result = CanaryAnalysis.Judge(spec, seen.NewTraffic, seen.StableTraffic, seen.NewReady == 0 ? 0 : state.CanaryWeight, warmingUp);
        var check = new AnalysisCheck(now, seen.NewReady == 0 ? 0 : state.CanaryWeight, result);
        var failed = state.FailedChecks + (result.Verdict == AnalysisVerdict.Fail ? 1 : 0);
        var next = state with
        {
            NextCheckAt = now + spec.Interval,
            FailedChecks = failed,
            RecentChecks = state.RecentChecks.AddBounded(check, RolloutDefaults.RecentChecks),
        };

        if (result.Verdict == AnalysisVerdict.Fail && failed >= spec.FailureLimit)
        {
            var reason = $"rolling back after {failed} failed check{(failed == 1 ? "" : "s")} (limit {spec.FailureLimit}): analysis {result.Reason}; the new version's weight goes to 0 now";
            return (next with
            {
                Phase = RolloutPhase.RollingBack,
                CanaryWeight = 0,
                NextCheckAt = null,
                StepStartedAt = now,
                Reason = reason,
            }, reason, check);
        }

        var counted = result.Verdict == AnalysisVerdict.Fail ? $" (failed check {failed}; it rolls back at {spec.FailureLimit})" : "";
        return (next, $"analysis {result.Reason}{counted}", check);
    }

    private static bool IsActive(RolloutState state, DateTimeOffset now) => state.Phase switch
    {
        RolloutPhase.Progressing or RolloutPhase.Paused or RolloutPhase.Analyzing => true,
        RolloutPhase.Succeeded => state.Spec.Strategy is BlueGreenSpec && now < state.RollbackWindowEnd,
        _ => false,
    };
}

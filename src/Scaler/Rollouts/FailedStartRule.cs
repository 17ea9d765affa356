namespace Bollard.Scaler.Rollouts;

/// <summary>
/// A new version whose replicas keep failing at start, with none of them ready, is rolled back by itself after
/// <see cref="RolloutSpec.FailedStartLimit"/> failed starts in a row, whatever the strategy: analysis would wait for
/// traffic a version that cannot start never gets.
/// </summary>
internal static class FailedStartRule
{
    /// <summary>The rolling-back state, or null when the rule does not apply.</summary>
    public static RolloutState? Check(RolloutState state, RolloutObservation seen, DateTimeOffset now)
    {
        if (state.Phase is not (RolloutPhase.Progressing or RolloutPhase.Paused or RolloutPhase.Analyzing or RolloutPhase.Promoting)
            || seen.NewReady > 0 || seen.NewFailedStarts < state.Spec.FailedStartLimit)
        {
            return null;
        }

        var reason = $"rolling back: {state.NewVersion} failed to start {seen.NewFailedStarts} times in a row with none of its replicas ready (limit {state.Spec.FailedStartLimit}); the new version's weight goes to 0 now";
        return state with
        {
            Phase = RolloutPhase.RollingBack,
            CanaryWeight = 0,
            NextCheckAt = null,
            StepStartedAt = now,
            Reason = reason,
        };
    }
}

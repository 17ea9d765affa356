namespace Bollard.Scaler.Rollouts;

/// <summary>What the controller sees when it asks for the next step.</summary>
/// <param name="StableReady">Replicas of the stable version passing their health check.</param>
/// <param name="NewReady">Replicas of the new version passing their health check.</param>
/// <param name="DesiredTotal">Replicas the service should have in all, as the autoscaler decided: the rollout splits
/// this between the versions and never lowers it.</param>
/// <param name="StableTraffic">The stable version's numbers over the last analysis interval; null when unknown.</param>
/// <param name="NewTraffic">The new version's numbers over the last analysis interval; null when unknown.</param>
/// <param name="NewFailedStarts">Failed starts in a row of the new version's replicas (the crash back-off's count).</param>
public sealed record RolloutObservation(
    int StableReady,
    int NewReady,
    int DesiredTotal,
    TrafficStats? StableTraffic = null,
    TrafficStats? NewTraffic = null,
    int NewFailedStarts = 0);

/// <summary>One version's requests over a window, from the balancer.</summary>
/// <param name="Requests">Requests answered (or failed) in the window.</param>
/// <param name="Errors">Of those, the failed ones (5xx, resets, timeouts).</param>
/// <param name="P99Ms">The 99th percentile latency in milliseconds; null when the balancer has none.</param>
public sealed record TrafficStats(long Requests, long Errors, double? P99Ms)
{
    /// <summary>Share of requests that succeeded, 0..1; null without requests.</summary>
    public double? SuccessRate => Requests > 0 ? 1.0 - ((double)Math.Clamp(Errors, 0, Requests) / Requests) : null;
}

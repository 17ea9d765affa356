namespace Bollard.Scaler.Rollouts;

/// <summary>
/// When a new version counts as good, judged once per <see cref="Interval"/> on the balancer's numbers for that
/// interval. <see cref="FailureLimit"/> failed checks (in total, over the whole rollout) roll it back.
/// </summary>
/// <param name="MinSuccessRate">Share of requests that must succeed, 0..1.</param>
/// <param name="MaxP99">The new version's p99 latency must be at or below this.</param>
/// <param name="MaxP99Ratio">...and at or below the stable version's p99 times this (when the stable version had
/// enough requests in the interval to have a meaningful p99).</param>
/// <param name="MinRequests">Fewer requests than this in an interval: no verdict (inconclusive, not a failure).</param>
/// <param name="Interval">How often a check runs, and the window its numbers cover.</param>
/// <param name="FailureLimit">This many failed checks roll the new version back.</param>
public sealed record AnalysisSpec(
    double MinSuccessRate,
    TimeSpan MaxP99,
    double MaxP99Ratio,
    int MinRequests,
    TimeSpan Interval,
    int FailureLimit)
{
    public AnalysisSpec()
        : this(
            RolloutDefaults.MinSuccessRate,
            RolloutDefaults.MaxP99,
            RolloutDefaults.MaxP99Ratio,
            RolloutDefaults.MinRequests,
            RolloutDefaults.AnalysisInterval,
            RolloutDefaults.FailureLimit)
    {
    }
}

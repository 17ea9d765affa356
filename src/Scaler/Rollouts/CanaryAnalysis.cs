using System.Globalization;

namespace Bollard.Scaler.Rollouts;

/// <summary>
/// Judges a new version on one interval of its own traffic, and against the stable version's. Pure: the same numbers
/// always give the same verdict. Too little data is never a failure (a quiet hour must not roll back a good
/// version) and never a pass (it must not promote an unjudged one).
/// </summary>
public static class CanaryAnalysis
{
    /// <param name="warmingUp">The new version's first judged interval: its replicas are still cold (JIT, caches,
    /// connection pools), so its latency is not judged yet; its errors are.</param>
    public static AnalysisResult Judge(AnalysisSpec spec, TrafficStats? canary, TrafficStats? stable, int newWeightPerMille = 0, bool warmingUp = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Starved(spec, canary, stable, newWeightPerMille) is { } starved)
        {
            return new(AnalysisVerdict.Fail, starved, canary, stable);
        }

        if (canary is null)
        {
            return new(AnalysisVerdict.Inconclusive, "no traffic numbers for the new version", canary, stable);
        }

        if (canary.Requests < spec.MinRequests)
        {
            return new(AnalysisVerdict.Inconclusive, $"{canary.Requests} requests to the new version in the interval, fewer than the {spec.MinRequests} needed to judge", canary, stable);
        }

        if (canary.P99Ms is not { } p99)
        {
            return new(AnalysisVerdict.Inconclusive, $"{canary.Requests} requests to the new version but no p99 latency for them", canary, stable);
        }

        var rate = canary.SuccessRate!.Value;
        var maxP99 = spec.MaxP99.TotalMilliseconds;
        var failures = new List<string>();
        var passes = new List<string>();
        (rate >= spec.MinSuccessRate ? passes : failures).Add($"success rate {Pct(rate)} ({canary.Errors} errors of {canary.Requests}) {(rate >= spec.MinSuccessRate ? "at or above" : "below")} {Pct(spec.MinSuccessRate)}");
        if (warmingUp)
        {
            passes.Add($"p99 {Ms(p99)} not judged in the new version's first interval (warming up)");
        }
        else
        {
            (p99 <= maxP99 ? passes : failures).Add($"p99 {Ms(p99)} {(p99 <= maxP99 ? "at or below" : "above")} {Ms(maxP99)}");

            // The relative check needs a stable p99 worth comparing with; without one only the absolute limits apply.
            if (stable is { P99Ms: { } stableP99 } && stable.Requests >= spec.MinRequests && stableP99 > 0)
            {
                var limit = stableP99 * spec.MaxP99Ratio;
                (p99 <= limit ? passes : failures).Add($"p99 {Ms(p99)} {(p99 <= limit ? "within" : "more than")} {spec.MaxP99Ratio.ToString("0.##", CultureInfo.InvariantCulture)}x the stable version's {Ms(stableP99)}");
            }
        }

        return failures.Count > 0
            ? new(AnalysisVerdict.Fail, "failed: " + string.Join("; ", failures), canary, stable)
            : new(AnalysisVerdict.Pass, "passed: " + string.Join("; ", passes), canary, stable);
    }

    /// <summary>
    /// A new version that holds weight but gets almost none of the requests its weight should bring is failing where
    /// the balancer can see it (its replicas ejected for errors, or unreachable): that is a failed check, not a lack of
    /// data, or a bad version whose replicas were all ejected would be promoted for having no errors on record.
    /// </summary>
    private static string? Starved(AnalysisSpec spec, TrafficStats? canary, TrafficStats? stable, int newWeight)
    {
        if (newWeight <= 0 || newWeight >= Weights.Total || stable is null)
        {
            return null;
        }

        var expected = stable.Requests * newWeight / (double)(Weights.Total - newWeight);
        var received = canary?.Requests ?? 0;
        return expected >= 2 * spec.MinRequests && received < spec.MinRequests && received < expected / 10
            ? $"failed: the new version got {received} requests where its weight of {Weights.Percent(newWeight)} should bring about {expected:0}: its replicas fail or are ejected by the balancer"
            : null;
    }

    private static string Pct(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + "ms";
}

using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Asymmetric stabilization, as the HPA does it: a scale-down goes only as low as the HIGHEST recommendation of the
/// scale-down window, a scale-up only as high as the LOWEST recommendation of the scale-up window. So a short dip
/// does not remove replicas a returning load needs, and (with a non-zero up window) a lone spike does not add them.
/// Invariant: the result lies between the current count and the recommendation.
/// </summary>
internal static class Stabilization
{
    /// <param name="proposal">The recommendation of this decision, already within the range.</param>
    /// <param name="earlier">The recommendations of earlier decisions (this one not included).</param>
    public static Proposal Stabilize(Proposal proposal, IReadOnlyList<TimedCount> earlier, int current, AutoscalingSpec spec, DateTimeOffset now)
    {
        var recommendation = proposal.Count;
        if (recommendation > current)
        {
            var window = spec.ScaleUp.Stabilization;
            var lowest = Math.Min(recommendation, Extreme(earlier, now - window, Math.Min) ?? recommendation);
            var result = Math.Max(current, lowest);
            return result == recommendation ? proposal : proposal.Then(
                result,
                ScaleRules.ScaleUpStabilization,
                $"lowest recommendation in the last {Numbers.Fmt(window)} is {lowest}: {result}");
        }

        if (recommendation < current)
        {
            var window = spec.ScaleDown.Stabilization;
            var highest = Math.Max(recommendation, Extreme(earlier, now - window, Math.Max) ?? recommendation);
            var result = Math.Min(current, highest);
            return result == recommendation ? proposal : proposal.Then(
                result,
                ScaleRules.ScaleDownStabilization,
                result == current
                    ? $"highest recommendation in the last {Numbers.Fmt(window)} is {highest}: hold {current}"
                    : $"highest recommendation in the last {Numbers.Fmt(window)} is {highest}: {result}");
        }

        return proposal;
    }

    private static int? Extreme(IReadOnlyList<TimedCount> entries, DateTimeOffset cutoff, Func<int, int, int> pick)
    {
        int? extreme = null;
        foreach (var entry in entries)
        {
            if (entry.At > cutoff)
            {
                extreme = extreme is { } e ? pick(e, entry.Count) : entry.Count;
            }
        }

        return extreme;
    }
}

using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Caps how fast the count moves: within any period, at most max(MaxReplicas, ceil(start x MaxPercent / 100))
/// added (or removed), where start is the count at the start of the period (the lowest start of the period's scale-up
/// events, or the highest of its scale-downs, or the current count when there were none). Both limits zero disables
/// that direction. Invariant: the result lies between the current count and the proposal.
/// </summary>
internal static class StepLimit
{
    public static Proposal LimitStep(Proposal proposal, IReadOnlyList<ScaleEvent> events, int current, AutoscalingSpec spec, DateTimeOffset now)
    {
        if (proposal.Count > current)
        {
            var rules = spec.ScaleUp;
            var start = events.Where(e => e.IsUp && e.At > now - rules.Period).Select(e => e.From).Append(current).Min();
            var step = Step(start, rules);
            var limit = Math.Max(current, start + step);
            return proposal.Count <= limit ? proposal : proposal.Then(
                limit,
                ScaleRules.StepLimitUp,
                $"step limit +{step} per {Numbers.Fmt(rules.Period)} from {start}: {limit}");
        }

        if (proposal.Count < current)
        {
            var rules = spec.ScaleDown;
            var start = events.Where(e => !e.IsUp && e.At > now - rules.Period).Select(e => e.From).Append(current).Max();
            var step = Step(start, rules);
            var limit = Math.Min(current, start - step);
            return proposal.Count >= limit ? proposal : proposal.Then(
                limit,
                ScaleRules.StepLimitDown,
                $"step limit -{step} per {Numbers.Fmt(rules.Period)} from {start}: {limit}");
        }

        return proposal;
    }

    /// <summary>The replicas one period may add or remove from <paramref name="start"/>.</summary>
    public static int Step(int start, ScalingRules rules) =>
        Math.Max(Math.Max(0, rules.MaxReplicas), (int)Math.Ceiling(Math.Max(0, start) * Math.Max(0, rules.MaxPercent) / 100.0));
}

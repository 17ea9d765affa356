using System.Collections.Immutable;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// The autoscaler's decision: a pure function of the input and the history, returning the decision and the next
/// history. The rules run in this order, each a small function that may replace the count and says why:
/// target tracking with the tolerance (<see cref="TargetTracking"/>), no scale-down on missing data
/// (<see cref="HoldRules"/>), the range (<see cref="RangeClamp"/>), stabilization (<see cref="Stabilization"/>), step
/// limits (<see cref="StepLimit"/>). See the folder's README for the rules and their names.
/// </summary>
/// <remarks>
/// The count decisions start from is the previous decision (the history's <see cref="AutoscalerHistory.LastDesired"/>),
/// not the live count: a crashed replica is being replaced, not a reason to scale down; a replica slow to start is
/// still wanted. Only the first decision (empty history, e.g. after a restart) starts from the live count, and its
/// windows start with it.
/// Invariants: the desired count is always within the range; missing or stale metrics never lower it.
/// </remarks>
public static class AutoscalePolicy
{
    public static (ScaleDecision Decision, AutoscalerHistory History) Decide(AutoscaleInput input, AutoscalerHistory history)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(history);
        var current = history.LastDesired ?? Math.Max(0, input.Current);
        if (history.LastDesired is null)
        {
            // First decision (a new service, or the history was lost in a restart): the windows start with the
            // current count, so a restart does not move the count before the windows have seen the load (as the
            // HPA seeds its scale-down window).
            history = history with { Recommendations = [new TimedCount(input.Now, input.Range.Clamp(current))] };
        }

        if (input.Spec is not { } spec)
        {
            var count = input.Range.Min;
            var fixedDecision = new ScaleDecision(current, count, ScaleRules.Fixed, $"fixed count {count} (no autoscaling)", DecisionInputs.Of(input, current));
            return (fixedDecision, AutoscalerHistory.Empty with { LastDesired = count });
        }

        var asks = TargetTracking.Ask(spec, input, current);
        var proposal = TargetTracking.Recommend(asks, current);
        proposal = HoldRules.HoldWhenMetricsMissing(proposal, asks, current);
        proposal = HoldRules.HoldWhenNoneReady(proposal, input, current);
        proposal = RangeClamp.ClampToRange(proposal, input.Range);
        var recommendation = proposal.Count;

        var rangeCorrection = current < input.Range.Min || current > input.Range.Max;
        if (rangeCorrection)
        {
            // The range is the operator's word, not an autoscaling step: applied at once, outside the windows and
            // without using up the step budget.
            proposal = RangeClamp.ClampToRange(Proposal.Start(current, proposal.Rule, proposal.Reason), input.Range);
        }
        else
        {
            proposal = Stabilization.Stabilize(proposal, history.Recommendations, current, spec, input.Now);
            proposal = StepLimit.LimitStep(proposal, history.Events, current, spec, input.Now);
        }

        var decision = new ScaleDecision(current, proposal.Count, proposal.Rule, proposal.Reason, DecisionInputs.Of(input, current, asks, recommendation));
        return (decision, Remember(history, spec, input.Now, current, recommendation, proposal.Count, isStep: !rangeCorrection));
    }

    /// <param name="isStep">False for a range correction: it is not an autoscaling step, so it is not a scale event
    /// and leaves the step budget alone (the first decision after a start, 0 -> min, used to count the period's
    /// budget from 0).</param>
    private static AutoscalerHistory Remember(AutoscalerHistory history, AutoscalingSpec spec, DateTimeOffset now, int current, int recommendation, int desired, bool isStep)
    {
        var window = Longest(spec.ScaleUp.Stabilization, spec.ScaleDown.Stabilization);
        var period = Longest(spec.ScaleUp.Period, spec.ScaleDown.Period);
        var events = desired == current || !isStep ? history.Events : history.Events.Add(new ScaleEvent(now, current, desired));
        return new AutoscalerHistory
        {
            LastDesired = desired,
            LastRecommendation = recommendation,
            Recommendations = HistoryCompaction.Recommendations(history.Recommendations.Add(new TimedCount(now, recommendation)), now - window),
            Events = HistoryCompaction.Events(events, now - period),
        };
    }

    private static TimeSpan Longest(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

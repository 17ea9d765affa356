using System.Collections.Immutable;
using static Bollard.Scaler.Autoscaling.Numbers;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Not acting on missing data. Invariant: a missing or stale metric, or a service with no ready replica, never
/// lowers the count; a fresh metric that asks for more still raises it.
/// </summary>
internal static class HoldRules
{
    /// <summary>
    /// A missing metric could be the one that needs the replicas: with any metric missing, the count may rise but not
    /// fall (what the HPA does by counting pods without metrics as at-target on scale-down).
    /// </summary>
    public static Proposal HoldWhenMetricsMissing(Proposal proposal, ImmutableArray<MetricAsk> asks, int current)
    {
        if (proposal.Count >= current || !asks.Any(a => a.Missing))
        {
            return proposal;
        }

        var missing = string.Join(", ", asks.Where(a => a.Missing).Select(a => a.Name));
        return proposal.Then(current, ScaleRules.MissingMetricsHold, $"{missing} missing: no scale-down on missing data, hold {current}");
    }

    /// <summary>
    /// With no ready replica the per-replica observations describe nothing, so the count may not fall; and a service
    /// receiving traffic with no ready replica gets at least one (the range's minimum is applied after).
    /// </summary>
    public static Proposal HoldWhenNoneReady(Proposal proposal, AutoscaleInput input, int current)
    {
        if (input.Ready > 0)
        {
            return proposal;
        }

        var traffic = input.FreshLoad?.HasTraffic == true;
        var floor = Math.Max(current, traffic ? 1 : 0);
        if (proposal.Count >= floor)
        {
            return proposal;
        }

        var why = traffic
            ? $"no ready replica while requests arrive ({Fmt(input.FreshLoad!.RequestsPerSecond ?? 0)}/s, {Fmt(input.FreshLoad.InFlight ?? 0)} in flight)"
            : "no ready replica";
        return proposal.Then(floor, ScaleRules.NoReadyReplicas, $"{why}: at least {floor}");
    }
}

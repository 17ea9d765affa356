using System.Collections.Immutable;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Autoscaling.Numbers;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Target tracking: each metric asks for the count that brings it to its target; the largest ask wins.
/// </summary>
/// <remarks>
/// Needed replicas = ready x observed-per-replica / target. For the additive metrics this is computed from the
/// service's totals (requests/s or in flight / target; CPU average x replicas covered / target), which is the same
/// when the observation covers the ready replicas and stays right when a replica changed state since: load does not
/// depend on how many replicas carry it. Latency is not additive: needed = replicas covered x p95 / target.
/// Because the ask comes from the load, replicas still warming count as capacity at target: a spike that already
/// started its replicas asks for the same count again, not for more.
/// </remarks>
internal static class TargetTracking
{
    /// <summary>Above this the ask is capped, so an absurd observation cannot overflow a count.</summary>
    public const double MaxNeeded = 1_000_000;

    public static ImmutableArray<MetricAsk> Ask(AutoscalingSpec spec, AutoscaleInput input, int current)
    {
        var load = input.FreshLoad;
        var why = input.Load is null ? "no observation"
            : load is null ? $"observation {Fmt(input.Now - input.Load.ObservedAt)} old, limit {Fmt(input.StalenessLimit)}"
            : "not observed";
        return [.. spec.Metrics.Select(m => load is null ? MetricAsk.Absent(m, why) : AskOne(m, load, current, spec.Tolerance))];
    }

    private static MetricAsk AskOne(MetricTarget metric, LoadSnapshot load, int current, double tolerance)
    {
        if (!(metric.Target > 0) || !double.IsFinite(metric.Target))
        {
            return MetricAsk.Absent(metric, $"target {Fmt(metric.Target)} is not positive");
        }

        var covered = Math.Max(0, load.Replicas);
        var target = metric.Target;
        (double? Observed, double Needed, string Text) computed = metric.Kind switch
        {
            MetricKind.RequestsPerSecond when Valid(load.RequestsPerSecond) is { } rps =>
                (PerReplica(rps, covered), rps / target, $"rps {Fmt(rps)}/s over {covered} replicas = {Fmt(PerReplica(rps, covered))}/s per replica vs target {Fmt(target)}"),
            MetricKind.InFlight when Valid(load.InFlight) is { } inFlight =>
                (PerReplica(inFlight, covered), inFlight / target, $"in-flight {Fmt(inFlight)} over {covered} replicas = {Fmt(PerReplica(inFlight, covered))} per replica vs target {Fmt(target)}"),
            MetricKind.CpuPercent when covered > 0 && Valid(load.CpuPercent) is { } cpu =>
                (cpu, cpu * covered / target, $"cpu {Fmt(cpu)}% avg over {covered} replicas vs target {Fmt(target)}%"),
            MetricKind.P95LatencyMs when covered > 0 && Valid(load.P95LatencyMs) is { } p95 =>
                (p95, covered * p95 / target, $"p95 {Fmt(p95)}ms over {covered} replicas vs target {Fmt(target)}ms"),
            _ => (null, 0, ""),
        };
        var (observed, needed, text) = computed;

        if (observed is null)
        {
            return MetricAsk.Absent(metric, covered == 0 ? "not observed, or no replica covered" : "not observed");
        }

        needed = Math.Min(needed, MaxNeeded);
        var (desired, within) = ApplyTolerance(needed, current, tolerance);
        var outcome = within
            ? $" -> {Fmt(needed)} replicas, within {Fmt(tolerance * 100)}% of {current}: keep {current}"
            : $" -> {desired} replicas";
        return new MetricAsk(metric.Kind, target, observed, needed, desired, within, text + outcome);
    }

    /// <summary>
    /// Keeps the current count while the needed count is within the tolerance of it (|needed/current - 1| &lt;=
    /// tolerance), so noise around the target does not move it; otherwise rounds the need up. From zero replicas
    /// there is no ratio: any need counts.
    /// </summary>
    public static (int Desired, bool WithinTolerance) ApplyTolerance(double needed, int current, double tolerance)
    {
        // The epsilons keep float noise off the boundaries: 11 / 10 - 1 is a hair above 0.1, 3 x 0.1 / 0.1 above 3.
        if (current > 0 && Math.Abs((needed / current) - 1) <= tolerance + 1e-9)
        {
            return (current, true);
        }

        return ((int)Math.Max(0, Math.Ceiling(needed - 1e-9)), false);
    }

    /// <summary>The largest ask wins (spec order breaks ties); when every metric is missing, hold the current count.</summary>
    public static Proposal Recommend(ImmutableArray<MetricAsk> asks, int current)
    {
        var present = asks.Where(a => !a.Missing).ToList();
        if (present.Count == 0)
        {
            var why = string.Join("; ", asks.Select(a => a.Reason));
            return Proposal.Start(current, ScaleRules.MissingMetricsHold, $"{why}; no metric to act on: hold {current}");
        }

        var best = present.Aggregate((a, b) => b.Desired > a.Desired ? b : a);
        var rule = best.WithinTolerance ? ScaleRules.WithinTolerance : ScaleRules.TargetTracking(best.Kind);
        var steps = asks.Select(a => a.Reason).ToImmutableList();
        if (present.Count > 1)
        {
            steps = steps.Add($"largest ask: {best.Name} {best.Desired}");
        }

        return new Proposal(best.Desired!.Value, rule, steps);
    }

    private static double? Valid(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    private static double PerReplica(double total, int covered) => covered > 0 ? total / covered : total;
}

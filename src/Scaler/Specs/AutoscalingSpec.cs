using System.Collections.Immutable;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Target tracking: each metric asks for the replica count that brings its per-replica value to its target; the
/// largest ask wins, clamped to the spec's replica range, damped by the tolerance, the stabilization windows and the
/// step limits. Absent (null on the spec) means a fixed count: <see cref="ReplicaRange.Min"/>.
/// </summary>
public sealed record AutoscalingSpec
{
    /// <summary>The metrics and their targets; at least one.</summary>
    public ImmutableArray<MetricTarget> Metrics { get; init; } = [];

    /// <summary>No change while every metric is within this share of its target (0.1 = within 10%).</summary>
    public double Tolerance { get; init; } = AutoscalingDefaults.Tolerance;

    public ScalingRules ScaleUp { get; init; } = AutoscalingDefaults.ScaleUp;

    public ScalingRules ScaleDown { get; init; } = AutoscalingDefaults.ScaleDown;
}

/// <summary>One metric to track and its per-replica target.</summary>
/// <param name="Kind">Which metric.</param>
/// <param name="Target">The per-replica target: requests/s, requests in flight, milliseconds of p95 latency, or CPU percent.</param>
public sealed record MetricTarget(MetricKind Kind, double Target);

public enum MetricKind
{
    /// <summary>Requests per second per replica, from the balancer's window.</summary>
    RequestsPerSecond,

    /// <summary>Requests in flight per replica, from the balancer.</summary>
    InFlight,

    /// <summary>The service's p95 latency in milliseconds (not divided by replicas: more replicas lower it).</summary>
    P95LatencyMs,

    /// <summary>Average CPU percent of one core per replica, from Docker stats.</summary>
    CpuPercent,
}

/// <summary>How fast one direction may move.</summary>
/// <param name="Stabilization">Act on the most conservative recommendation of this window (the highest for scale-down,
/// the lowest for scale-up), so a short dip or spike does not move the count.</param>
/// <param name="MaxReplicas">At most this many replicas added (or removed) per <paramref name="Period"/>...</param>
/// <param name="MaxPercent">...or this percent of the current count, whichever allows more.</param>
/// <param name="Period">The period the step limits apply to.</param>
public sealed record ScalingRules(TimeSpan Stabilization, int MaxReplicas, int MaxPercent, TimeSpan Period);

/// <summary>Defaults, those of the Kubernetes HPA where it has one (documented in the README).</summary>
public static class AutoscalingDefaults
{
    public const double Tolerance = 0.1;
    public static readonly ScalingRules ScaleUp = new(TimeSpan.Zero, 4, 100, TimeSpan.FromSeconds(15));
    public static readonly ScalingRules ScaleDown = new(TimeSpan.FromMinutes(5), 100, 100, TimeSpan.FromSeconds(15));
}

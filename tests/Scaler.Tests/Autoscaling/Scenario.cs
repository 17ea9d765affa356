using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Autoscaling;

/// <summary>Builders for autoscaling inputs: a service with a range, a spec and a load, at a time.</summary>
internal static class Scenario
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly ReplicaRange Wide = new(1, 100);
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    /// <summary>No stabilization, no practical step limit: only target tracking, tolerance and the range act.</summary>
    public static readonly ScalingRules Unlimited = new(TimeSpan.Zero, 10_000, 10_000, TimeSpan.FromSeconds(15));

    public static AutoscalingSpec Spec(params MetricTarget[] metrics) => new() { Metrics = [.. metrics] };

    public static AutoscalingSpec Rps(double target) => Spec(new MetricTarget(MetricKind.RequestsPerSecond, target));

    public static AutoscalingSpec Immediate(this AutoscalingSpec spec) => spec with { ScaleUp = Unlimited, ScaleDown = Unlimited };

    public static LoadSnapshot Load(int replicas, double? rps = null, double? inFlight = null, double? p95 = null, double? cpu = null, DateTimeOffset? at = null) =>
        new(at ?? T0, replicas, rps, inFlight, p95, cpu);

    public static AutoscaleInput Input(AutoscalingSpec? spec, int current, LoadSnapshot? load, int? ready = null, ReplicaRange? range = null, DateTimeOffset? now = null) =>
        new(spec, range ?? Wide, current, ready ?? current, load, now ?? load?.ObservedAt ?? T0, AutoscaleInput.DefaultStalenessLimit);

    public static ScaleDecision Decide(AutoscaleInput input, AutoscalerHistory? history = null) =>
        AutoscalePolicy.Decide(input, history ?? AutoscalerHistory.Empty).Decision;
}

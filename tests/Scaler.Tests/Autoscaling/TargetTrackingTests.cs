using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class TargetTrackingTests
{
    [Theory]
    // current, rps total, target -> desired
    [InlineData(3, 412, 50, 9)]
    [InlineData(4, 400, 50, 8)]
    [InlineData(10, 100, 50, 2)]
    [InlineData(5, 0, 50, 1)] // no load: the minimum
    [InlineData(2, 1000, 10, 100)] // capped by the max
    public void Requests_per_second_ask_for_total_over_target(int current, double rps, double target, int desired)
    {
        var decision = Decide(Input(Rps(target).Immediate(), current, Load(current, rps: rps)));

        Assert.Equal(desired, decision.Desired);
    }

    [Theory]
    // metric, value observed, replicas covered, target -> desired
    [InlineData(MetricKind.InFlight, 90.0, 3, 10.0, 9)] // 90 in flight / 10 per replica
    [InlineData(MetricKind.CpuPercent, 180.0, 5, 60.0, 15)] // 5 replicas at 180% = 900% of work / 60%
    [InlineData(MetricKind.CpuPercent, 20.0, 6, 60.0, 2)]
    [InlineData(MetricKind.P95LatencyMs, 400.0, 4, 200.0, 8)] // twice the target latency: twice the replicas
    [InlineData(MetricKind.P95LatencyMs, 100.0, 4, 200.0, 2)]
    public void Each_metric_asks_for_the_replicas_that_bring_it_to_target(MetricKind kind, double value, int replicas, double target, int desired)
    {
        var load = kind switch
        {
            MetricKind.InFlight => Load(replicas, inFlight: value),
            MetricKind.CpuPercent => Load(replicas, cpu: value),
            _ => Load(replicas, p95: value),
        };

        var decision = Decide(Input(Spec(new MetricTarget(kind, target)).Immediate(), replicas, load));

        Assert.Equal(desired, decision.Desired);
        Assert.Equal(ScaleRules.TargetTracking(kind), decision.Rule);
    }

    [Theory]
    // current, rps at a target of 10 per replica -> desired: within 10% of the current count nothing moves
    [InlineData(10, 109, 10)]
    [InlineData(10, 110, 10)]
    [InlineData(10, 111, 12)]
    [InlineData(10, 91, 10)]
    [InlineData(10, 90, 10)]
    [InlineData(10, 89, 9)]
    [InlineData(1, 10.5, 1)]
    public void Within_the_tolerance_the_count_holds(int current, double rps, int desired)
    {
        var decision = Decide(Input(Rps(10).Immediate(), current, Load(current, rps: rps)));

        Assert.Equal(desired, decision.Desired);
        if (desired == current)
        {
            Assert.Equal(ScaleRules.WithinTolerance, decision.Rule);
        }
    }

    [Fact]
    public void The_largest_ask_across_metrics_wins()
    {
        var spec = Spec(new(MetricKind.RequestsPerSecond, 50), new(MetricKind.CpuPercent, 60), new(MetricKind.P95LatencyMs, 200)).Immediate();

        var decision = Decide(Input(spec, 4, Load(4, rps: 100, cpu: 150, p95: 250)));

        Assert.Equal(10, decision.Desired); // rps asks 2, cpu 10, latency 5
        Assert.Equal("target-tracking:cpu", decision.Rule);
        Assert.Contains("largest ask: cpu 10", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_still_warming_count_as_capacity_so_a_spike_does_not_add_twice()
    {
        var spec = Rps(50).Immediate();
        var (first, history) = AutoscalePolicy.Decide(Input(spec, 5, Load(5, rps: 450)), AutoscalerHistory.Empty);
        Assert.Equal(9, first.Desired);

        // Next tick: 4 new replicas are live but still warming; the 5 ready ones carry the same spike.
        var second = Decide(Input(spec, 9, Load(5, rps: 450, at: T0 + Tick), ready: 5), history);

        Assert.Equal(9, second.Desired);
        Assert.Equal(ScaleRules.WithinTolerance, second.Rule);
    }

    [Fact]
    public void Latency_over_target_with_replicas_warming_does_not_add_again()
    {
        var spec = Spec(new MetricTarget(MetricKind.P95LatencyMs, 100)).Immediate();
        var history = AutoscalerHistory.Empty with { LastDesired = 9 };

        var decision = Decide(Input(spec, 9, Load(5, p95: 180), ready: 5), history);

        Assert.Equal(9, decision.Desired);
    }

    [Fact]
    public void The_reason_carries_the_numbers()
    {
        var spec = Rps(50) with { ScaleUp = new(TimeSpan.Zero, 4, 100, TimeSpan.FromSeconds(15)) };

        var decision = Decide(Input(spec, 3, Load(3, rps: 412)));

        Assert.Equal(7, decision.Desired);
        Assert.Equal(ScaleRules.StepLimitUp, decision.Rule);
        Assert.Equal("rps 412/s over 3 replicas = 137.33/s per replica vs target 50 -> 9 replicas; step limit +4 per 15s from 3: 7", decision.Reason);
        Assert.Equal(412, decision.Inputs["rps"] * 3, 6);
        Assert.Equal(50, decision.Inputs["rps-target"]);
        Assert.Equal(9, decision.Inputs["recommendation"]);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-5.0)]
    public void An_invalid_observation_counts_as_missing(double rps)
    {
        var decision = Decide(Input(Rps(50).Immediate(), 6, Load(6, rps: rps)));

        Assert.Equal(6, decision.Desired);
        Assert.Equal(ScaleRules.MissingMetricsHold, decision.Rule);
    }

    [Fact]
    public void Rounding_noise_does_not_ask_for_an_extra_replica()
    {
        var (desired, within) = TargetTracking.ApplyTolerance(0.1 * 3 / 0.1, 0, 0.1);

        Assert.Equal(3, desired);
        Assert.False(within);
    }
}

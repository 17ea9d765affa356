using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class HoldRuleTests
{
    private static readonly AutoscalingSpec RpsAndCpu = Spec(new(MetricKind.RequestsPerSecond, 50), new(MetricKind.CpuPercent, 60)).Immediate();

    public static TheoryData<string, LoadSnapshot?, int> MissingLoads => new()
    {
        { "no observation", null, 8 },
        { "stale observation", Load(8, rps: 50, cpu: 5, at: T0 - TimeSpan.FromSeconds(31)), 8 },
        { "rps not observed", Load(8, cpu: 5), 8 },
        { "cpu not observed", Load(8, rps: 50), 8 },
        { "cpu with no replica covered", Load(0, rps: 50, cpu: 5), 8 },
    };

    [Theory]
    [MemberData(nameof(MissingLoads))]
    public void Missing_or_stale_metrics_never_scale_down(string why, LoadSnapshot? load, int desired)
    {
        var decision = Decide(Input(RpsAndCpu, 8, load, now: T0));

        Assert.True(desired == decision.Desired, why);
        Assert.Equal(ScaleRules.MissingMetricsHold, decision.Rule);
        Assert.Contains("missing", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fresh_metric_asking_for_more_still_scales_up_while_another_is_missing()
    {
        var decision = Decide(Input(RpsAndCpu, 4, Load(4, rps: 500)));

        Assert.Equal(10, decision.Desired);
        Assert.Equal("target-tracking:rps", decision.Rule);
        Assert.Contains("cpu missing (not observed", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_observation_is_named_with_its_age()
    {
        var decision = Decide(Input(Rps(50), 3, Load(3, rps: 1, at: T0), now: T0 + TimeSpan.FromSeconds(45)));

        Assert.Equal(3, decision.Desired);
        Assert.Contains("observation 45s old, limit 30s", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_observation_exactly_at_the_staleness_limit_is_still_fresh()
    {
        var decision = Decide(Input(Rps(50).Immediate(), 3, Load(3, rps: 1000, at: T0), now: T0 + AutoscaleInput.DefaultStalenessLimit));

        Assert.Equal(20, decision.Desired);
    }

    [Fact]
    public void No_ready_replica_never_scales_down()
    {
        var decision = Decide(Input(Rps(50).Immediate(), 6, Load(0, rps: 0), ready: 0));

        Assert.Equal(6, decision.Desired);
        Assert.Equal(ScaleRules.NoReadyReplicas, decision.Rule);
    }

    [Theory]
    // metric, min -> desired: traffic with no ready replica gets at least max(min, 1); no division by zero
    [InlineData(MetricKind.P95LatencyMs, 0, 1)]
    [InlineData(MetricKind.CpuPercent, 0, 1)]
    [InlineData(MetricKind.CpuPercent, 3, 3)]
    [InlineData(MetricKind.RequestsPerSecond, 0, 1)]
    public void Traffic_with_no_ready_replica_gets_at_least_one(MetricKind kind, int min, int desired)
    {
        var spec = Spec(new MetricTarget(kind, 1000)).Immediate();
        var load = Load(0, rps: 3, inFlight: 2, p95: 5000, cpu: 0);

        var decision = Decide(Input(spec, 0, load, ready: 0, range: new ReplicaRange(min, 10)));

        Assert.Equal(desired, decision.Desired);
        Assert.NotEqual(string.Empty, decision.Reason);
    }

    [Fact]
    public void With_no_traffic_and_a_minimum_of_zero_the_service_scales_to_zero()
    {
        var history = AutoscalerHistory.Empty with { LastDesired = 2 };

        var decision = Decide(Input(Rps(50).Immediate(), 2, Load(2, rps: 0), range: new ReplicaRange(0, 10)), history);

        Assert.Equal(0, decision.Desired);
    }
}

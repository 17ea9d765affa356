using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class StepLimitTests
{
    [Theory]
    // current, ask, max replicas, max percent -> desired: the larger of the two limits applies
    [InlineData(3, 20, 4, 100, 7)] // +4 (100% would be +3)
    [InlineData(10, 50, 4, 100, 20)] // +10 (100%)
    [InlineData(10, 12, 4, 100, 12)] // within the limit
    [InlineData(5, 20, 1, 50, 8)] // ceil(5 x 50%) = 3
    [InlineData(5, 20, 0, 0, 5)] // both zero: scaling up disabled
    public void Scale_up_is_limited_per_period(int current, int ask, int maxReplicas, int maxPercent, int desired)
    {
        var spec = Rps(10) with { ScaleUp = new(TimeSpan.Zero, maxReplicas, maxPercent, TimeSpan.FromSeconds(15)), ScaleDown = Unlimited };

        var decision = Decide(Input(spec, current, Load(current, rps: ask * 10)));

        Assert.Equal(desired, decision.Desired);
        Assert.Equal(desired == ask ? "target-tracking:rps" : ScaleRules.StepLimitUp, decision.Rule);
    }

    [Theory]
    [InlineData(20, 2, 4, 0, 16)]
    [InlineData(20, 2, 1, 25, 15)]
    [InlineData(20, 2, 100, 100, 2)] // the HPA default: anything
    [InlineData(7, 2, 0, 10, 6)] // ceil(0.7) = 1
    public void Scale_down_is_limited_per_period(int current, int ask, int maxReplicas, int maxPercent, int desired)
    {
        var spec = Rps(10) with { ScaleUp = Unlimited, ScaleDown = new(TimeSpan.Zero, maxReplicas, maxPercent, TimeSpan.FromSeconds(15)) };

        var decision = Decide(Input(spec, current, Load(current, rps: ask * 10)));

        Assert.Equal(desired, decision.Desired);
    }

    [Fact]
    public void Decisions_within_one_period_share_its_budget()
    {
        // +4 per minute, decisions every 15 s: 3 -> 7 at once, then nothing more until the minute has passed.
        var spec = Rps(10) with { ScaleUp = new(TimeSpan.Zero, 4, 0, TimeSpan.FromMinutes(1)) };
        var history = AutoscalerHistory.Empty;
        var counts = new List<int>();
        for (var tick = 0; tick <= 8; tick++)
        {
            var now = T0 + (Tick * tick);
            var live = history.LastDesired ?? 3;
            (var decision, history) = AutoscalePolicy.Decide(Input(spec, live, Load(live, rps: 1000, at: now)), history);
            counts.Add(decision.Desired);
        }

        Assert.Equal([7, 7, 7, 7, 11, 11, 11, 11, 15], counts);
    }

    [Fact]
    public void A_correction_into_the_range_at_start_leaves_the_step_budget_whole()
    {
        // An agent starting with no replica: its first decision brings the count from 0 up to the minimum (the range,
        // not a step). A load step a second later may still add a whole step from 1, not from 0.
        var spec = Rps(10) with { ScaleUp = new(TimeSpan.Zero, 4, 100, TimeSpan.FromSeconds(15)) };
        var range = new ReplicaRange(1, 20);
        var (first, history) = AutoscalePolicy.Decide(Input(spec, 0, null, range: range), AutoscalerHistory.Empty);

        var second = Decide(Input(spec, 1, Load(1, rps: 1000, at: T0 + TimeSpan.FromSeconds(1)), range: range), history);

        Assert.Equal((1, ScaleRules.ClampToMin), (first.Desired, first.Rule));
        Assert.Equal(5, second.Desired);
        Assert.Contains("step limit +4 per 15s from 1: 5", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_counts_from_the_start_of_the_period_not_from_the_current_count()
    {
        var spec = Rps(10) with { ScaleUp = new(TimeSpan.Zero, 2, 0, TimeSpan.FromMinutes(1)) };
        var history = new AutoscalerHistory { LastDesired = 6, Events = [new(T0, 4, 6)] };

        var decision = Decide(Input(spec, 6, Load(6, rps: 200, at: T0 + Tick)), history);

        Assert.Equal(6, decision.Desired); // 4 + 2 reached already within the minute
        Assert.Equal(ScaleRules.StepLimitUp, decision.Rule);
        Assert.Contains("step limit +2 per 1m from 4: 6", decision.Reason, StringComparison.Ordinal);
    }
}

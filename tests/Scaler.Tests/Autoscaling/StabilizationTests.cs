using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class StabilizationTests
{
    private static readonly ScalingRules FiveMinutes = new(TimeSpan.FromMinutes(5), 10_000, 10_000, TimeSpan.FromSeconds(15));

    [Theory]
    // recommendations of earlier ticks (15 s apart, the last one 15 s ago), current, this tick's ask -> desired
    [InlineData(new[] { 10, 10, 10 }, 10, 4, 10)] // the window still holds 10: hold
    [InlineData(new[] { 8, 7, 6 }, 10, 4, 8)] // down only to the highest of the window
    [InlineData(new[] { 5, 4, 4 }, 10, 4, 5)]
    [InlineData(new int[0], 10, 4, 4)] // nothing remembered: straight down
    public void Scale_down_goes_only_as_low_as_the_highest_recommendation_in_the_window(int[] earlier, int current, int ask, int desired)
    {
        var spec = Rps(10) with { ScaleUp = Unlimited, ScaleDown = FiveMinutes };
        var now = T0 + (Tick * earlier.Length);
        var history = new AutoscalerHistory { LastDesired = current, Recommendations = [.. earlier.Select((c, i) => new TimedCount(T0 + (Tick * i), c))] };

        var decision = Decide(Input(spec, current, Load(current, rps: ask * 10, at: now)), history);

        Assert.Equal(desired, decision.Desired);
        if (desired != ask)
        {
            Assert.Equal(ScaleRules.ScaleDownStabilization, decision.Rule);
            Assert.Contains("highest recommendation in the last 5m", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { 6, 8, 9 }, 5, 12, 6)] // up only to the lowest of the window
    [InlineData(new[] { 4, 4 }, 5, 12, 5)] // a lone spike does not move it
    [InlineData(new[] { 12, 13 }, 5, 12, 12)]
    public void Scale_up_goes_only_as_high_as_the_lowest_recommendation_in_the_window(int[] earlier, int current, int ask, int desired)
    {
        var spec = Rps(10) with { ScaleUp = FiveMinutes, ScaleDown = Unlimited };
        var now = T0 + (Tick * earlier.Length);
        var history = new AutoscalerHistory { LastDesired = current, Recommendations = [.. earlier.Select((c, i) => new TimedCount(T0 + (Tick * i), c))] };

        var decision = Decide(Input(spec, current, Load(current, rps: ask * 10, at: now)), history);

        Assert.Equal(desired, decision.Desired);
    }

    [Fact]
    public void After_a_load_drop_the_count_holds_for_the_window_then_follows()
    {
        var spec = Rps(10) with { ScaleDown = FiveMinutes };
        var history = AutoscalerHistory.Empty;
        var counts = new List<int>();
        for (var tick = 0; tick <= 30; tick++)
        {
            var now = T0 + (Tick * tick);
            var rps = tick < 4 ? 100 : 30; // needs 10, then 3 from the fifth tick (one minute in)
            (var decision, history) = AutoscalePolicy.Decide(Input(spec, 10, Load(10, rps: rps, at: now)), history);
            counts.Add(decision.Desired);
        }

        // The last recommendation of 10 was at 45 s; it leaves the 5 minute window at 5m45s = tick 23.
        Assert.All(counts.Take(23), c => Assert.Equal(10, c));
        Assert.All(counts.Skip(23), c => Assert.Equal(3, c));
    }

    [Fact]
    public void A_brief_dip_does_not_remove_replicas()
    {
        var spec = Rps(10) with { ScaleDown = FiveMinutes };
        var history = AutoscalerHistory.Empty;
        for (var tick = 0; tick <= 40; tick++)
        {
            var rps = tick is >= 10 and < 14 ? 20 : 100; // one minute at a fifth of the load
            (var decision, history) = AutoscalePolicy.Decide(Input(spec, 10, Load(10, rps: rps, at: T0 + (Tick * tick))), history);
            Assert.Equal(10, decision.Desired);
        }
    }
}

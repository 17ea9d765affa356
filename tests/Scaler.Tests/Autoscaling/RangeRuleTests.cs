using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class RangeRuleTests
{
    [Theory]
    // current, rps (target 10), min, max -> desired, rule
    [InlineData(5, 5, 2, 10, 2, ScaleRules.ClampToMin)]
    [InlineData(5, 500, 2, 10, 10, ScaleRules.ClampToMax)]
    [InlineData(5, 80, 2, 10, 8, "target-tracking:rps")]
    [InlineData(1, 0, 0, 10, 0, "target-tracking:rps")]
    [InlineData(3, 1000, 3, 3, 3, ScaleRules.ClampToMax)]
    public void The_recommendation_is_clamped_to_the_range(int current, double rps, int min, int max, int desired, string rule)
    {
        var decision = Decide(Input(Rps(10).Immediate(), current, Load(current, rps: rps), range: new ReplicaRange(min, max)));

        Assert.Equal(desired, decision.Desired);
        Assert.Equal(rule, decision.Rule);
    }

    [Theory]
    // current, min, max -> desired, rule: a count outside the range is corrected at once, whatever the limits
    [InlineData(2, 10, 20, 10, ScaleRules.ClampToMin)]
    [InlineData(30, 1, 5, 5, ScaleRules.ClampToMax)]
    public void A_count_outside_the_range_is_corrected_at_once(int current, int min, int max, int desired, string rule)
    {
        var slow = new ScalingRules(TimeSpan.FromMinutes(5), 1, 0, TimeSpan.FromMinutes(1));
        var spec = Rps(10) with { ScaleUp = slow, ScaleDown = slow };

        var decision = Decide(Input(spec, current, Load(current, rps: 10 * current), range: new ReplicaRange(min, max)));

        Assert.Equal(desired, decision.Desired);
        Assert.Equal(rule, decision.Rule);
    }

    [Fact]
    public void Without_autoscaling_the_count_is_the_minimum()
    {
        var decision = Decide(Input(null, 5, Load(5, rps: 10_000), range: ReplicaRange.Fixed(3)));

        Assert.Equal(new ScaleDecision(5, 3, ScaleRules.Fixed, "fixed count 3 (no autoscaling)", decision.Inputs), decision);
    }

    [Fact]
    public void A_fixed_count_remembers_the_count_and_forgets_the_windows()
    {
        var busy = new AutoscalerHistory { LastDesired = 9, Recommendations = [new(T0, 9)], Events = [new(T0, 5, 9)] };

        var (_, history) = AutoscalePolicy.Decide(Input(null, 9, null, range: ReplicaRange.Fixed(4)), busy);

        Assert.Equal(AutoscalerHistory.Empty with { LastDesired = 4 }, history);
    }
}

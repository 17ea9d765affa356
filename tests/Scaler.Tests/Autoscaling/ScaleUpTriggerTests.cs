using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class ScaleUpTriggerTests
{
    private static readonly ReplicaRange Range = new(1, 10);
    private static readonly AutoscalingSpec Spec = Rps(10); // the defaults: +4 or +100% per 15 s

    [Fact]
    public void Before_any_decision_it_never_fires()
    {
        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, AutoscalerHistory.Empty, 1, Load(1, rps: 1000), T0));
    }

    [Fact]
    public void A_load_step_after_a_quiet_decision_fires_with_the_count_it_asks_for()
    {
        var history = DecideAt(T0, live: 2, rps: 20).History;

        Assert.Equal(8, ScaleUpTrigger.Rise(Spec, Range, history, 2, Load(2, rps: 80, at: T0 + Ms(250)), T0 + Ms(250)));
    }

    [Theory]
    [InlineData(20)] // the same load the decision saw
    [InlineData(21)] // within the tolerance
    [InlineData(5)] // lower: scale-down is the decision's business, at its own pace
    public void A_load_the_decision_already_covers_does_not_fire(double rps)
    {
        var history = DecideAt(T0, live: 2, rps: 20).History;

        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, history, 2, Load(2, rps: rps, at: T0 + Ms(250)), T0 + Ms(250)));
    }

    [Fact]
    public void A_rise_the_decision_saw_but_held_back_does_not_fire_again()
    {
        // 1 -> 5 by the step limit while 10 are asked for: checking again with the same load must not wake the loop
        // on every check until the period ends (the resync takes the next step).
        var (decision, history) = DecideAt(T0, live: 1, rps: 100, new AutoscalerHistory { LastDesired = 1, LastRecommendation = 1 });
        Assert.Equal((5, ScaleRules.StepLimitUp), (decision.Desired, decision.Rule));

        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, history, 1, Load(1, rps: 100, at: T0 + Ms(250)), T0 + Ms(250)));
        Assert.Equal(10, ScaleUpTrigger.Rise(Spec, Range, history with { LastRecommendation = 6 }, 1, Load(1, rps: 100, at: T0 + Ms(250)), T0 + Ms(250)));
    }

    [Fact]
    public void At_the_maximum_it_never_fires()
    {
        var history = new AutoscalerHistory { LastDesired = 10, LastRecommendation = 10 };

        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, history, 10, Load(10, rps: 10_000), T0));
    }

    [Fact]
    public void Missing_or_stale_load_never_fires()
    {
        var history = new AutoscalerHistory { LastDesired = 2, LastRecommendation = 2 };

        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, history, 2, Load(2), T0));
        Assert.Null(ScaleUpTrigger.Rise(Spec, Range, history, 2, Load(2, rps: 1000, at: T0 - TimeSpan.FromMinutes(5)), T0));
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static (ScaleDecision Decision, AutoscalerHistory History) DecideAt(DateTimeOffset now, int live, double rps, AutoscalerHistory? history = null) =>
        AutoscalePolicy.Decide(Input(Spec, live, Load(live, rps: rps, at: now), range: Range), history ?? AutoscalerHistory.Empty);
}

using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class FailedStartRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Strategies => ["rolling", "canary", "blueGreen"];

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_new_version_that_keeps_failing_to_start_is_rolled_back_whatever_the_strategy(string strategy)
    {
        var state = RolloutEngine.Start("web", "v1", "v2", new RolloutSpec { Strategy = StrategyOf(strategy), FailedStartLimit = 3 }, T0);

        var before = RolloutEngine.Advance(state, new RolloutObservation(3, 0, 3, NewFailedStarts: 2), T0.AddSeconds(5));
        var step = RolloutEngine.Advance(before.State, new RolloutObservation(3, 0, 3, NewFailedStarts: 3), T0.AddSeconds(10));

        Assert.NotEqual(RolloutPhase.RollingBack, before.State.Phase);
        Assert.Equal(RolloutPhase.RollingBack, step.State.Phase);
        Assert.Equal(0, step.NewWeight);
        Assert.Contains("v2 failed to start 3 times in a row", step.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_with_a_ready_replica_is_left_to_the_analysis()
    {
        var state = RolloutEngine.Start("web", "v1", "v2", new RolloutSpec { Strategy = new CanarySpec() }, T0);

        var step = RolloutEngine.Advance(state, new RolloutObservation(3, 1, 3, NewFailedStarts: 10), T0.AddSeconds(5));

        Assert.NotEqual(RolloutPhase.RollingBack, step.State.Phase);
    }

    private static StrategySpec StrategyOf(string name) => name switch
    {
        "canary" => new CanarySpec(),
        "blueGreen" => new BlueGreenSpec(),
        _ => new RollingSpec(),
    };
}

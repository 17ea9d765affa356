using System.Text.Json;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

/// <summary>
/// Random rollouts (seeded, so a failure replays): random strategies, replicas that come up slowly or crash, load
/// that changes, good, bad, quiet or missing numbers, and commands at random moments. The invariants must hold at
/// every step.
/// </summary>
public sealed class RolloutPropertyTests
{
    private static readonly TrafficStats?[] Traffic = [RolloutWorld.Good, RolloutWorld.Erroring, RolloutWorld.Slow, RolloutWorld.Quiet, null];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 150)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_step_keeps_the_invariants(int seed)
    {
        var random = new Random(seed);
        var strategy = RandomStrategy(random);
        var world = new RolloutWorld(strategy, desired: random.Next(1, 13));
        var bad = random.Next(3) == 0;
        for (var pass = 0; pass < 300; pass++)
        {
            if (random.Next(20) == 0)
            {
                Command(world, (RolloutCommand)random.Next(5));
            }

            if (strategy is not RollingSpec && random.Next(20) == 0)
            {
                world.Desired = Math.Max(1, world.Desired + random.Next(-3, 4)); // the autoscaler at work
            }

            world.NewTraffic = bad && random.Next(4) > 0 ? Traffic[random.Next(1, 3)] : Traffic[random.Next(Traffic.Length)];
            var before = (world.StableReady, world.NewReady);
            var step = world.Advance();

            Assert.InRange(step.NewWeight, 0, 1000);
            Assert.InRange(step.StableWeight, 0, 1000);
            Assert.Equal(1000, step.NewWeight + step.StableWeight);
            Assert.True(world.NewReady > 0 || step.NewWeight == 0, $"seed {seed} pass {pass}: weight {step.NewWeight} with no ready new replica");
            Assert.True(step.StableReplicas >= 0 && step.NewReplicas >= 0);
            Assert.True(!step.State.Phase.IsBackward() || step.State.Spec.Strategy is RollingSpec || step.NewWeight == 0, $"seed {seed}: weight after a rollback");
            if (strategy is RollingSpec rolling)
            {
                CheckRolling(rolling, world.Desired, before, step, $"seed {seed} pass {pass}");
            }

            AssertSameAfterRestart(world.History[^1]);
            Follow(world, step, random, crashes: strategy is not RollingSpec);
            world.Now += TimeSpan.FromSeconds(random.Next(0, 16));
        }

        if (world.State.Phase.IsFinished())
        {
            foreach (var command in Enum.GetValues<RolloutCommand>())
            {
                var undoable = command == RolloutCommand.Undo && world.State is { Phase: RolloutPhase.Succeeded, Spec.Strategy: BlueGreenSpec } && world.Now < world.State.RollbackWindowEnd;
                var result = RolloutEngine.Apply(world.State, command, world.Now);
                Assert.Equal(undoable, result.Accepted);
                Assert.True(undoable || result.Reason.StartsWith($"cannot {command.ToString().ToLowerInvariant()}: ", StringComparison.Ordinal), result.Reason);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_good_version_always_reaches_success_when_nobody_holds_it(int seed)
    {
        var random = new Random(seed);
        var world = new RolloutWorld(RandomStrategy(random), desired: random.Next(1, 13));

        for (var pass = 0; world.State.Phase != RolloutPhase.Succeeded; pass++)
        {
            Assert.True(pass < 5000, $"seed {seed}: stuck: {world.State.Reason}");
            if (world.State.Phase == RolloutPhase.Paused)
            {
                Assert.True(world.Command(RolloutCommand.Resume).Accepted);
            }

            Follow(world, world.Advance(), random, crashes: false);
            world.Now += TimeSpan.FromSeconds(random.Next(1, 16));
        }

        Assert.Equal(0, world.State.FailedChecks);
    }

    private static void CheckRolling(RollingSpec spec, int desired, (int Stable, int New) before, RolloutStep step, string where)
    {
        // What still serves once this step's drains happen: only the ready replicas each version keeps.
        var serving = Math.Min(before.Stable, step.StableReplicas) + Math.Min(before.New, step.NewReplicas);
        Assert.True(serving >= desired - spec.MaxUnavailable, $"{where}: {serving} serving, below {desired} - {spec.MaxUnavailable}");
        if (step.State.Phase == RolloutPhase.Progressing)
        {
            Assert.True(step.StableReplicas + step.NewReplicas <= desired + spec.MaxSurge, $"{where}: surge exceeded");
        }
    }

    /// <summary>Replicas follow the step: the surplus goes at once, missing ones come up a few at a time.</summary>
    private static void Follow(RolloutWorld world, RolloutStep step, Random random, bool crashes)
    {
        var stable = Math.Min(world.StableReady, step.StableReplicas);
        var fresh = Math.Min(world.NewReady, step.NewReplicas);
        world.StableReady = stable + random.Next(0, step.StableReplicas - stable + 1);
        world.NewReady = fresh + random.Next(0, step.NewReplicas - fresh + 1);
        if (crashes && random.Next(15) == 0)
        {
            world.NewReady = Math.Max(0, world.NewReady - random.Next(1, 3));
        }
    }

    private static void Command(RolloutWorld world, RolloutCommand command)
    {
        var before = world.State;
        var result = world.Command(command);
        Assert.True(result.Accepted || ReferenceEquals(before, result.State));
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    private static void AssertSameAfterRestart((RolloutState State, RolloutObservation Observation, DateTimeOffset Now, RolloutStep Step) pass)
    {
        var restored = JsonSerializer.Deserialize<RolloutState>(JsonSerializer.Serialize(pass.State));
        Assert.Equal(pass.Step, RolloutEngine.Advance(restored!, pass.Observation, pass.Now));
    }

    private static StrategySpec RandomStrategy(Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                var surge = random.Next(0, 4);
                return new RollingSpec(surge, random.Next(surge == 0 ? 1 : 0, 4));
            case 1:
                var steps = Enumerable.Range(0, random.Next(1, 7)).Select(i => (CanaryStep)(random.Next(4) switch
                {
                    0 => new PauseStep(random.Next(3) == 0 ? null : TimeSpan.FromSeconds(random.Next(1, 60))),
                    1 when i > 0 => new AnalysisStep(),
                    _ => new SetWeightStep(random.Next(1, 1001)),
                }));
                return new CanarySpec(ValueList.From(steps.Prepend(new SetWeightStep(random.Next(1, 1001)))));
            default:
                return new BlueGreenSpec(TimeSpan.FromSeconds(random.Next(0, 600)), random.Next(2) == 0);
        }
    }
}

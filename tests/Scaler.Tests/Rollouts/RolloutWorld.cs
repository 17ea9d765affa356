using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

/// <summary>A service under rollout on virtual time: the engine's decisions, and replicas that follow them.</summary>
internal sealed class RolloutWorld
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TrafficStats Good = new(1000, 1, 40);
    public static readonly TrafficStats Erroring = new(1000, 80, 40);
    public static readonly TrafficStats Slow = new(1000, 0, 900);
    public static readonly TrafficStats Quiet = new(5, 0, 40);

    public RolloutWorld(StrategySpec strategy, int desired = 10, AnalysisSpec? analysis = null)
    {
        Desired = desired;
        StableReady = desired;
        State = RolloutEngine.Start("web", "v1", "v2", new RolloutSpec { Strategy = strategy, Analysis = analysis ?? new AnalysisSpec() }, T0);
    }

    public RolloutState State { get; set; }

    public DateTimeOffset Now { get; set; } = T0;

    public int Desired { get; set; }

    public int StableReady { get; set; }

    public int NewReady { get; set; }

    public TrafficStats? NewTraffic { get; set; } = Good;

    public TrafficStats? StableTraffic { get; set; } = Good;

    public List<RolloutStep> Steps { get; } = [];

    public RolloutObservation Observation => new(StableReady, NewReady, Desired, StableTraffic, NewTraffic);

    /// <summary>One pass of the engine; replicas stay as they are.</summary>
    /// <summary>Every pass's inputs and decision, for replaying after a simulated restart.</summary>
    public List<(RolloutState State, RolloutObservation Observation, DateTimeOffset Now, RolloutStep Step)> History { get; } = [];

    public RolloutStep Advance()
    {
        var step = RolloutEngine.Advance(State, Observation, Now);
        History.Add((State, Observation, Now, step));
        State = step.State;
        Steps.Add(step);
        return step;
    }

    /// <summary>One pass, after which every replica asked for is up and ready and every one no longer needed is gone.</summary>
    public RolloutStep Converge()
    {
        var step = Advance();
        (StableReady, NewReady) = (step.StableReplicas, step.NewReplicas);
        return step;
    }

    /// <summary>Passes every <paramref name="tick"/> with converging replicas until <paramref name="done"/> holds.</summary>
    public RolloutStep RunUntil(Func<RolloutStep, bool> done, TimeSpan tick, int maxPasses = 10_000)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            var step = Converge();
            if (done(step))
            {
                return step;
            }

            Now += tick;
        }

        throw new InvalidOperationException($"not done after {maxPasses} passes; last: {Steps[^1].Reason}");
    }

    public RolloutCommandResult Command(RolloutCommand command)
    {
        var result = RolloutEngine.Apply(State, command, Now);
        State = result.State;
        return result;
    }

    public static CanarySpec CanarySteps(params CanaryStep[] steps) => new(ValueList.From(steps));
}

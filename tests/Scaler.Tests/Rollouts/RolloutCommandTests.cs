using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class RolloutCommandTests
{
    private static readonly DateTimeOffset T0 = RolloutWorld.T0;

    public static TheoryData<string, RolloutPhase> AbortablePhases() => new()
    {
        { "canary", RolloutPhase.Progressing },
        { "canary", RolloutPhase.Paused },
        { "canary", RolloutPhase.Analyzing },
        { "canary", RolloutPhase.Promoting },
        { "blueGreen", RolloutPhase.Progressing },
        { "blueGreen", RolloutPhase.Paused },
        { "blueGreen", RolloutPhase.Analyzing },
        { "blueGreen", RolloutPhase.Promoting },
    };

    [Theory]
    [MemberData(nameof(AbortablePhases))]
    public void Abort_puts_the_new_weight_to_0_at_once_in_every_running_phase(string strategy, RolloutPhase phase)
    {
        var state = Running(strategy) with { Phase = phase, CanaryWeight = 250, NextCheckAt = T0 };

        var result = RolloutEngine.Apply(state, RolloutCommand.Abort, T0);
        var step = RolloutEngine.Advance(result.State, new RolloutObservation(5, 5, 10, RolloutWorld.Good, RolloutWorld.Erroring), T0);
        var whole = RolloutEngine.Advance(step.State, new RolloutObservation(10, 5, 10, RolloutWorld.Good, RolloutWorld.Erroring), T0);

        Assert.True(result.Accepted, result.Reason);
        Assert.StartsWith("aborted by hand", result.Reason, StringComparison.Ordinal);

        // The new version's ready replicas stay, without weight, until the stable set is whole: then they may go.
        Assert.Equal((RolloutPhase.Aborted, 0, 5, 10, null), (step.State.Phase, step.NewWeight, step.NewReplicas, step.StableReplicas, step.RemovableVersion));
        Assert.Equal((RolloutPhase.Aborted, 0, 0, 10, "v2"), (whole.State.Phase, whole.NewWeight, whole.NewReplicas, whole.StableReplicas, whole.RemovableVersion));
        Assert.Null(step.Check); // no more checks once aborted
    }

    [Theory]
    [InlineData(RolloutPhase.Succeeded, RolloutCommand.Promote, "cannot promote: rollout already succeeded")]
    [InlineData(RolloutPhase.Succeeded, RolloutCommand.Abort, "cannot abort: rollout already succeeded")]
    [InlineData(RolloutPhase.Succeeded, RolloutCommand.Pause, "cannot pause: rollout already succeeded")]
    [InlineData(RolloutPhase.RolledBack, RolloutCommand.Resume, "cannot resume: rollout already rolled back")]
    [InlineData(RolloutPhase.Aborted, RolloutCommand.Abort, "cannot abort: rollout already aborted")]
    [InlineData(RolloutPhase.Aborted, RolloutCommand.Undo, "cannot undo: rollout aborted, v2 is already going")]
    [InlineData(RolloutPhase.RollingBack, RolloutCommand.Promote, "cannot promote: rollout is already rolling back")]
    [InlineData(RolloutPhase.Paused, RolloutCommand.Pause, "cannot pause: rollout is already paused")]
    [InlineData(RolloutPhase.Progressing, RolloutCommand.Resume, "cannot resume: rollout is not paused (it is progressing)")]
    [InlineData(RolloutPhase.Promoting, RolloutCommand.Promote, "cannot promote: rollout is already being promoted")]
    [InlineData(RolloutPhase.Promoting, RolloutCommand.Pause, "cannot pause: rollout is being promoted (abort it to stop it)")]
    [InlineData(RolloutPhase.Progressing, RolloutCommand.Undo, "cannot undo: rollout has not finished (abort it instead)")]
    public void Commands_that_do_not_fit_the_phase_are_refused_with_why(RolloutPhase phase, RolloutCommand command, string reason)
    {
        var state = Running("canary") with { Phase = phase };

        var result = RolloutEngine.Apply(state, command, T0);

        Assert.False(result.Accepted);
        Assert.Equal(reason, result.Reason);
        Assert.Same(state, result.State);
    }

    [Theory]
    [InlineData("canary")]
    [InlineData("rolling")]
    public void Only_blue_green_can_be_undone(string strategy)
    {
        var state = Running(strategy) with { Phase = RolloutPhase.Succeeded };

        var result = RolloutEngine.Apply(state, RolloutCommand.Undo, T0);

        Assert.False(result.Accepted);
        Assert.Contains("keeps no old set to switch back to (start a rollout to v1 instead)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pause_then_resume_returns_an_analysis_step_to_analyzing()
    {
        var state = Running("canary") with { Phase = RolloutPhase.Analyzing, StepIndex = 1 };

        var paused = RolloutEngine.Apply(state, RolloutCommand.Pause, T0);
        var resumed = RolloutEngine.Apply(paused.State, RolloutCommand.Resume, T0);

        Assert.Equal(RolloutPhase.Paused, paused.State.Phase);
        Assert.Equal(RolloutPhase.Analyzing, resumed.State.Phase);
        Assert.Equal("resumed by hand at step 2 of 3, weight 0%", resumed.Reason);
        Assert.Equal(resumed.Reason, resumed.State.Reason);
    }

    private static RolloutState Running(string strategy) => RolloutEngine.Start("web", "v1", "v2", new RolloutSpec
    {
        Strategy = strategy switch
        {
            "canary" => RolloutWorld.CanarySteps(new SetWeightStep(100), new AnalysisStep(), new PauseStep(null)),
            "blueGreen" => new BlueGreenSpec(TimeSpan.FromMinutes(10), Verify: true),
            _ => new RollingSpec(),
        },
    }, T0);
}

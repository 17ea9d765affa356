using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class BlueGreenRolloutTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public void The_full_new_set_comes_up_then_all_traffic_switches_at_once_and_the_old_set_stays_warm_for_the_window()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 4);

        var up = world.Advance();
        Assert.Equal((0, 4, 4), (up.NewWeight, up.NewReplicas, up.StableReplicas));
        world.NewReady = 3;
        Assert.Equal(0, world.Advance().NewWeight); // not the full set yet
        world.NewReady = 4;
        var switched = world.Advance();
        Assert.Equal((RolloutPhase.Succeeded, 1000, 4, 4, null), (switched.State.Phase, switched.NewWeight, switched.NewReplicas, switched.StableReplicas, switched.RemovableVersion));
        Assert.Equal(world.Now + Window, switched.State.RollbackWindowEnd);
        Assert.Equal(world.Now, switched.State.SwitchedAt);

        world.Now += Window - Second;
        Assert.Equal(4, world.Converge().StableReplicas);
        world.Now += Second;
        var after = world.Converge();
        Assert.Equal((0, "v1", 1000), (after.StableReplicas, after.RemovableVersion, after.NewWeight));
        Assert.Contains("rollback window ended", after.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Undo_within_the_window_switches_back_at_once()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 4);
        world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        world.Now += TimeSpan.FromMinutes(9);

        var undo = world.Command(RolloutCommand.Undo);
        Assert.True(undo.Accepted, undo.Reason);
        var back = world.Advance();
        Assert.Equal((RolloutPhase.RollingBack, 0, 1000, 0, 4, "v2"), (back.State.Phase, back.NewWeight, back.StableWeight, back.NewReplicas, back.StableReplicas, back.RemovableVersion));

        world.NewReady = 0;
        Assert.Equal(RolloutPhase.RolledBack, world.Advance().State.Phase);
    }

    [Fact]
    public void After_an_undo_the_new_set_goes_only_once_the_old_set_is_whole()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 4);
        world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        world.Command(RolloutCommand.Undo);

        // Two old replicas failed meanwhile: no weight on v2, but its replicas stay, the balancer's fallback.
        world.StableReady = 2;
        var back = world.Advance();
        Assert.Equal((0, 4, 4, null), (back.NewWeight, back.NewReplicas, back.StableReplicas, back.RemovableVersion));

        world.StableReady = 4;
        var whole = world.Advance();
        Assert.Equal((0, 0, "v2"), (whole.NewWeight, whole.NewReplicas, whole.RemovableVersion));
    }

    [Fact]
    public void After_the_window_the_old_set_goes_only_while_the_new_set_is_whole()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 4);
        world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        world.Now += Window;

        world.NewReady = 3;
        var held = world.Advance();
        Assert.Equal((1000, 4, null), (held.NewWeight, held.StableReplicas, held.RemovableVersion));

        // A scale-out meanwhile grows the new set only: the old replicas are kept, not added to.
        world.Desired = 6;
        Assert.Equal((4, 6), (world.Advance().StableReplicas, world.Advance().NewReplicas));
        world.Desired = 4;

        world.NewReady = 4;
        Assert.Equal((0, "v1"), (world.Advance().StableReplicas, world.Advance().RemovableVersion));
    }

    [Fact]
    public void Undo_after_the_window_is_refused()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 4);
        world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        world.Now += Window;

        var undo = world.Command(RolloutCommand.Undo);

        Assert.False(undo.Accepted);
        Assert.StartsWith("cannot undo: the rollback window ended at 2026-01-01 12:10:01Z", undo.Reason, StringComparison.Ordinal);
        Assert.Equal(RolloutPhase.Succeeded, undo.State.Phase);
    }

    [Fact]
    public void Verification_holds_the_switch_until_a_check_passes()
    {
        var world = new RolloutWorld(new BlueGreenSpec(Window, Verify: true), desired: 2);
        world.NewTraffic = RolloutWorld.Quiet;
        var verifying = world.RunUntil(s => s.State.Phase == RolloutPhase.Analyzing, Second);
        Assert.Equal(0, verifying.NewWeight);

        world.Now += TimeSpan.FromMinutes(5);
        var quiet = world.Converge();
        Assert.Equal((RolloutPhase.Analyzing, AnalysisVerdict.Inconclusive), (quiet.State.Phase, quiet.Check!.Result.Verdict));

        world.NewTraffic = RolloutWorld.Good;
        world.Now += TimeSpan.FromSeconds(10);
        var switched = world.Converge();
        Assert.Equal((RolloutPhase.Succeeded, 1000), (switched.State.Phase, switched.NewWeight));
        Assert.Contains("verification passed", switched.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_verification_rolls_back_without_ever_switching()
    {
        var world = new RolloutWorld(new BlueGreenSpec(Window, Verify: true), desired: 2);
        world.NewTraffic = RolloutWorld.Erroring;

        var last = world.RunUntil(s => s.State.Phase.IsFinished(), Second);

        Assert.Equal(RolloutPhase.RolledBack, last.State.Phase);
        Assert.All(world.Steps, s => Assert.Equal(0, s.NewWeight));
        Assert.Equal(2, last.State.FailedChecks);
    }

    [Fact]
    public void Failed_checks_in_the_rollback_window_switch_back_by_themselves()
    {
        var world = new RolloutWorld(new BlueGreenSpec(), desired: 3);
        world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);
        world.NewTraffic = RolloutWorld.Slow;
        world.StableTraffic = null; // no traffic on the old set after the switch

        var back = world.RunUntil(s => s.State.Phase != RolloutPhase.Succeeded, TimeSpan.FromSeconds(10));

        Assert.Equal((RolloutPhase.RollingBack, 0, 3), (back.State.Phase, back.NewWeight, back.StableReplicas));
    }

    [Fact]
    public void Promote_skips_verification()
    {
        var world = new RolloutWorld(new BlueGreenSpec(Window, Verify: true), desired: 2);
        world.NewTraffic = RolloutWorld.Quiet;
        world.RunUntil(s => s.State.Phase == RolloutPhase.Analyzing, Second);

        Assert.True(world.Command(RolloutCommand.Promote).Accepted);

        Assert.Equal((RolloutPhase.Succeeded, 1000), (world.Advance().State.Phase, world.Steps[^1].NewWeight));
    }
}

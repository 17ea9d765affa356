using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class RollingRolloutTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(4, 1, 0)]
    [InlineData(4, 0, 1)]
    [InlineData(10, 2, 1)]
    [InlineData(10, 3, 3)]
    [InlineData(1, 1, 0)]
    [InlineData(3, 5, 0)]
    public void Replaces_in_batches_within_surge_and_unavailability_at_every_step(int desired, int surge, int unavailable)
    {
        var world = new RolloutWorld(new RollingSpec(surge, unavailable), desired);

        var last = world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded && world.StableReady == 0, Second, 200);

        foreach (var step in world.Steps)
        {
            Assert.InRange(step.StableReplicas + step.NewReplicas, desired - unavailable, desired + surge);
        }

        Assert.Equal((0, desired, 1000, "v1"), (last.StableReplicas, last.NewReplicas, last.NewWeight, last.RemovableVersion));
    }

    [Fact]
    public void With_the_defaults_each_new_replica_is_ready_before_an_old_one_drains()
    {
        var world = new RolloutWorld(new RollingSpec(), desired: 3);

        var first = world.Advance();
        Assert.Equal((3, 1, 0), (first.StableReplicas, first.NewReplicas, first.NewWeight));
        Assert.Equal(3, world.Advance().StableReplicas); // the new one is not ready: nothing drains

        world.NewReady = 1;
        var drain = world.Advance();
        Assert.Equal((2, 1), (drain.StableReplicas, drain.NewReplicas)); // no room to surge until the old one is gone
        Assert.Equal(333, drain.NewWeight); // traffic follows the ready replicas: 1 of 3

        world.StableReady = 2;
        Assert.Equal(2, world.Advance().NewReplicas);
    }

    [Fact]
    public void Weights_follow_the_ready_replicas_of_each_version()
    {
        var world = new RolloutWorld(new RollingSpec(2, 0), desired: 4);
        world.NewReady = 1;

        var step = world.Advance();

        Assert.Equal((3, 2), (step.StableReplicas, step.NewReplicas)); // one old drains as one new is ready; the surge refills
        Assert.Equal(250, step.NewWeight);
    }

    [Fact]
    public void Paused_by_hand_no_old_replica_drains()
    {
        var world = new RolloutWorld(new RollingSpec(1, 1), desired: 4);
        world.Converge();
        Assert.True(world.Command(RolloutCommand.Pause).Accepted);
        world.NewReady += 1;

        var held = world.Advance();

        Assert.Equal(world.StableReady, held.StableReplicas);
        Assert.Equal(RolloutPhase.Paused, held.State.Phase);
    }

    [Fact]
    public void Promote_lifts_the_surge_limit_but_not_the_unavailability_one()
    {
        var world = new RolloutWorld(new RollingSpec(1, 0), desired: 6);
        world.Converge();

        world.Command(RolloutCommand.Promote);
        var step = world.Advance();

        Assert.Equal((5, 6), (step.StableReplicas, step.NewReplicas)); // the whole new set at once; one old drains per new ready
    }

    [Fact]
    public void A_scale_out_during_the_update_is_followed_not_undone()
    {
        var world = new RolloutWorld(new RollingSpec(), desired: 4);
        world.Converge();
        world.Converge();
        world.Desired = 8;
        var oldReady = world.StableReady;

        var step = world.Converge();

        Assert.Equal((oldReady, 6), (step.StableReplicas, step.NewReplicas)); // the 4 added replicas come as new ones
        var done = world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second, 100);
        Assert.Equal(8, done.NewReplicas);
    }

    [Fact]
    public void An_abort_rolls_back_the_same_careful_way()
    {
        var world = new RolloutWorld(new RollingSpec(), desired: 4);
        world.Converge();
        world.Converge();
        world.Converge();
        Assert.True(world.NewReady >= 1 && world.StableReady < 4);

        Assert.True(world.Command(RolloutCommand.Abort).Accepted);
        var aborting = world.Advance();
        Assert.True(aborting.NewReplicas >= 1, "the new replicas keep serving until old ones are back");
        Assert.True(aborting.StableReplicas + aborting.NewReplicas <= 5);

        var done = world.RunUntil(s => s.NewReplicas == 0, Second, 100);
        Assert.Equal((4, 0, "v2", RolloutPhase.Aborted), (done.StableReplicas, done.NewWeight, done.RemovableVersion, done.State.Phase));
    }
}

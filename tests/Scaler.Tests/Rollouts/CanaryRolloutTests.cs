using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Rollouts;

public sealed class CanaryRolloutTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_default_steps_run_through_to_promotion_then_the_old_version_scales_away()
    {
        var world = new RolloutWorld(new CanarySpec());

        var last = world.RunUntil(s => s.State.Phase == RolloutPhase.Succeeded, Second);

        var weights = world.Steps.Select(s => s.NewWeight).Distinct().ToList();
        Assert.Equal([0, 50, 250, 500, 1000], weights);
        Assert.Equal(0, last.StableReplicas);
        Assert.Equal(10, last.NewReplicas);
        Assert.Equal("v1", last.RemovableVersion);
        Assert.True(world.Now - RolloutWorld.T0 >= TimeSpan.FromSeconds(90), "three pauses of 30s");
        Assert.All(world.State.RecentChecks, c => Assert.Equal(AnalysisVerdict.Pass, c.Result.Verdict));
        Assert.InRange(world.State.RecentChecks.Count, 9, RolloutDefaults.RecentChecks); // every 10s over three 30s pauses
        Assert.Null(world.Steps.Take(world.Steps.Count - 1).FirstOrDefault(s => s.RemovableVersion is not null));
    }

    [Fact]
    public void Canary_replicas_follow_the_weight_and_the_stable_keeps_its_share()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(25), new PauseStep(null), new SetWeightStep(300), new PauseStep(null)));

        var first = world.Converge();
        Assert.Equal((0, 1, 10), (first.NewWeight, first.NewReplicas, first.StableReplicas)); // max(1, ceil(10 x 2.5%))
        var weighted = world.Converge();
        Assert.Equal((25, RolloutPhase.Paused), (weighted.NewWeight, weighted.State.Phase));

        world.Desired = 40; // the autoscaler scales out: both versions follow
        var scaled = world.Converge();
        Assert.Equal((1, 39), (scaled.NewReplicas, scaled.StableReplicas)); // ceil(40 x 2.5%), ceil(40 x 97.5%)
        Assert.True(world.Command(RolloutCommand.Resume).Accepted);

        var pending = world.Advance();
        Assert.Equal((25, 12, 39), (pending.NewWeight, pending.NewReplicas, pending.StableReplicas)); // sized for 30% before it moves
        world.NewReady = 12;
        var moved = world.Advance();
        Assert.Equal((300, 12, 28), (moved.NewWeight, moved.NewReplicas, moved.StableReplicas));
    }

    [Fact]
    public void A_weight_moves_only_once_the_new_replicas_for_it_are_ready()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(500), new PauseStep(null)));

        for (var ready = 0; ready < 5; ready++)
        {
            world.NewReady = ready;
            var waiting = world.Advance();
            Assert.Equal(0, waiting.NewWeight);
            Assert.Equal(5, waiting.NewReplicas);
            Assert.Contains($"waiting for 5 new replicas ready (have {ready})", waiting.Reason, StringComparison.Ordinal);
            world.Now += Second;
        }

        world.NewReady = 5;
        var step = world.Advance();
        Assert.Equal((500, 5, 5), (step.NewWeight, step.NewReplicas, step.StableReplicas)); // the stable keeps ceil(10 x 50%)
    }

    [Fact]
    public void A_new_version_that_loses_its_ready_replicas_gets_no_traffic_until_they_are_back()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(250), new PauseStep(null)));
        world.RunUntil(s => s.NewWeight == 250, Second);

        world.NewReady = 0;
        var crashed = world.Advance();
        Assert.Equal(0, crashed.NewWeight);
        Assert.Equal(250, crashed.State.CanaryWeight);

        world.NewReady = 1;
        Assert.Equal(250, world.Advance().NewWeight);
    }

    [Fact]
    public void A_manual_pause_step_waits_until_resumed()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(100), new PauseStep(null), new SetWeightStep(200)));
        world.RunUntil(s => s.State.Phase == RolloutPhase.Paused, Second);

        world.Now += TimeSpan.FromDays(3);
        var held = world.Converge();
        Assert.Equal((RolloutPhase.Paused, 100, 1), (held.State.Phase, held.NewWeight, held.State.StepIndex));

        var resumed = world.Command(RolloutCommand.Resume);
        Assert.True(resumed.Accepted, resumed.Reason);
        Assert.Equal(2, resumed.State.StepIndex);
        world.Converge();
        Assert.Equal(200, world.Converge().NewWeight);
    }

    [Fact]
    public void Promote_skips_the_remaining_steps_and_moves_all_traffic_once_the_new_set_is_ready()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(100), new PauseStep(null), new SetWeightStep(200), new PauseStep(TimeSpan.FromHours(1))));
        world.RunUntil(s => s.State.Phase == RolloutPhase.Paused, Second);

        var promoted = world.Command(RolloutCommand.Promote);
        Assert.True(promoted.Accepted);
        Assert.Equal((RolloutPhase.Promoting, 4), (promoted.State.Phase, promoted.State.StepIndex));

        var scaling = world.Advance(); // new set not yet ready: the weight stays
        Assert.Equal((100, 10, 9), (scaling.NewWeight, scaling.NewReplicas, scaling.StableReplicas));
        world.NewReady = 10;
        var done = world.Advance();
        Assert.Equal((RolloutPhase.Succeeded, 1000, 0, "v1"), (done.State.Phase, done.NewWeight, done.StableReplicas, done.RemovableVersion));
    }

    [Fact]
    public void Failed_checks_up_to_the_limit_roll_back_with_the_weight_at_0_in_the_same_step()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(200), new PauseStep(TimeSpan.FromMinutes(10))));
        world.RunUntil(s => s.NewWeight == 200, Second);
        world.NewTraffic = RolloutWorld.Erroring;

        world.Now += TimeSpan.FromSeconds(10);
        var first = world.Converge();
        Assert.Equal((200, 1, RolloutPhase.Progressing), (first.NewWeight, first.State.FailedChecks, first.State.Phase));
        Assert.Equal(AnalysisVerdict.Fail, first.Check!.Result.Verdict);
        Assert.Contains("success rate 92% (80 errors of 1000) below 99% (failed check 1; it rolls back at 2)", first.Reason, StringComparison.Ordinal);

        world.Now += TimeSpan.FromSeconds(5);
        Assert.Null(world.Converge().Check); // not due before the interval

        world.Now += TimeSpan.FromSeconds(5);
        var second = world.Advance();
        Assert.Equal(RolloutPhase.RollingBack, second.State.Phase);
        Assert.StartsWith("rolling back after 2 failed checks (limit 2): analysis failed: success rate 92%", second.Reason, StringComparison.Ordinal);

        // No weight at once; its replicas stay (the balancer's fallback) until the stable set is whole again.
        Assert.Equal((0, 1000, 2, 10, null), (second.NewWeight, second.StableWeight, second.NewReplicas, second.StableReplicas, second.RemovableVersion));
        world.StableReady = 10;
        var whole = world.Advance();
        Assert.Equal((RolloutPhase.RollingBack, 0, 0, "v2"), (whole.State.Phase, whole.NewWeight, whole.NewReplicas, whole.RemovableVersion)); // v2 still draining
        world.NewReady = 0;
        world.StableReady = 10;
        var rolledBack = world.Advance();
        Assert.Equal((RolloutPhase.RolledBack, 0, "v2"), (rolledBack.State.Phase, rolledBack.NewWeight, rolledBack.RemovableVersion));
    }

    [Fact]
    public void A_slow_canary_is_rolled_back_too()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(50), new PauseStep(TimeSpan.FromMinutes(10))));
        world.NewTraffic = RolloutWorld.Slow;

        var last = world.RunUntil(s => s.State.Phase.IsBackward(), Second);

        Assert.Equal(0, last.NewWeight);
        Assert.Contains("p99 900ms above 500ms", last.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_requests_neither_advance_nor_fail_an_analysis_step()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(10), new AnalysisStep(), new SetWeightStep(500)));
        world.NewTraffic = RolloutWorld.Quiet;
        world.RunUntil(s => s.State.Phase == RolloutPhase.Analyzing, Second);

        for (var i = 0; i < 30; i++)
        {
            world.Now += TimeSpan.FromSeconds(10);
            var step = world.Converge();
            Assert.Equal((RolloutPhase.Analyzing, 1, 0, 10), (step.State.Phase, step.State.StepIndex, step.State.FailedChecks, step.NewWeight));
            Assert.Equal(AnalysisVerdict.Inconclusive, step.Check!.Result.Verdict);
        }

        world.NewTraffic = RolloutWorld.Good;
        world.Now += TimeSpan.FromSeconds(10);
        var passed = world.Converge();
        Assert.Equal(2, passed.State.StepIndex);
        Assert.Contains("step 2 of 3 (analysis): passed", passed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_analysis_step_waits_one_interval_after_the_weight_moved()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(10), new AnalysisStep()));
        var moved = world.RunUntil(s => s.State.Phase == RolloutPhase.Analyzing, Second);
        var at = world.Now;

        world.Now = at + TimeSpan.FromSeconds(9);
        Assert.Equal(RolloutPhase.Analyzing, world.Converge().State.Phase);
        world.Now = at + TimeSpan.FromSeconds(10);
        Assert.Equal(RolloutPhase.Promoting, world.Converge().State.Phase);
        Assert.Equal(at + TimeSpan.FromSeconds(10), moved.State.NextCheckAt);
    }

    [Fact]
    public void Checks_keep_running_while_paused_by_hand_and_can_roll_back()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(100), new PauseStep(TimeSpan.FromSeconds(30)), new SetWeightStep(500)));
        world.RunUntil(s => s.NewWeight == 100, Second);
        Assert.True(world.Command(RolloutCommand.Pause).Accepted);

        world.Now += TimeSpan.FromMinutes(5);
        Assert.Equal((RolloutPhase.Paused, 100), (world.Converge().State.Phase, world.Steps[^1].NewWeight)); // the pause is over but held

        world.NewTraffic = RolloutWorld.Erroring;
        var last = world.RunUntil(s => s.State.Phase != RolloutPhase.Paused, TimeSpan.FromSeconds(10));
        Assert.Equal((RolloutPhase.RollingBack, 0), (last.State.Phase, last.NewWeight));
    }

    [Fact]
    public void A_timed_pause_resumed_by_hand_counts_the_time_already_spent()
    {
        var world = new RolloutWorld(RolloutWorld.CanarySteps(new SetWeightStep(100), new PauseStep(TimeSpan.FromSeconds(30)), new SetWeightStep(500)));
        world.RunUntil(s => s.NewWeight == 100, Second);
        world.Command(RolloutCommand.Pause);
        world.Now += TimeSpan.FromMinutes(1);

        Assert.Equal(RolloutPhase.Progressing, world.Command(RolloutCommand.Resume).State.Phase);
        Assert.Contains("pause over", world.Converge().Reason, StringComparison.Ordinal);
    }
}

using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Simulation;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Simulation;

/// <summary>The simulator's metrics on traces small enough to compute by hand. Spec: 2..10 replicas, 50 rps per
/// replica, the default scale-up (+4 or +100% per 15 s), a 60 s scale-down window; replicas ready 3 s after their start.</summary>
public sealed class SimulatorTests
{
    private static readonly SimulationSettings Settings = new(TimeSpan.FromSeconds(3));

    private static ServiceSpec Spec(AutoscalingSpec? autoscaling = null, int min = 2, int max = 10) => new()
    {
        Name = "web",
        Image = "app:v1",
        Port = 8080,
        Source = "web.yaml",
        Replicas = new ReplicaRange(min, max),
        Autoscaling = autoscaling,
    };

    private static AutoscalingSpec Rps(double target, TimeSpan? scaleDownWindow = null) => new()
    {
        Metrics = [new MetricTarget(MetricKind.RequestsPerSecond, target)],
        ScaleDown = AutoscalingDefaults.ScaleDown with { Stabilization = scaleDownWindow ?? TimeSpan.FromSeconds(60) },
    };

    private static SimulationResult Run(ServiceSpec spec, string csv) =>
        Simulator.Run(spec, TraceParser.Parse("t.csv", csv), Settings, SloTargets.Of(spec.Autoscaling));

    [Fact]
    public void A_load_within_capacity_keeps_the_minimum_and_owes_nothing()
    {
        var result = Run(Spec(Rps(50)), "0,80\n10,80\n");

        Assert.Empty(result.Changes);
        Assert.Equal(40, result.ReplicaSeconds, 6); // 2 replicas x 20 s
        Assert.Equal((0.0, 0.0), (result.SecondsAboveTarget, result.RequestsAboveTarget));
        Assert.Equal((0, 0, 2), (result.ScaleEvents, result.LargestStep, result.PeakReplicas));
    }

    [Fact]
    public void A_load_step_is_decided_at_once_and_owes_debt_until_the_new_replicas_are_ready()
    {
        var result = Run(Spec(Rps(50)), "0,80\n10,200\n20,200\n30,200\n");

        var change = Assert.Single(result.Changes);
        Assert.Equal((10.0, 2, 4, ScaleRules.TargetTracking(MetricKind.RequestsPerSecond)), (change.At.TotalSeconds, change.From, change.To, change.Rule));
        Assert.Equal((2 * 10) + (4 * 30), result.ReplicaSeconds, 6); // starting replicas cost from their start
        Assert.Equal(3, result.SecondsAboveTarget, 6); // 10 s .. 13 s: 200 rps over 2 ready replicas
        Assert.Equal(100 * 3, result.RequestsAboveTarget, 6); // 100 rps beyond 2 x 50, for 3 s
        Assert.Equal((1, 2, 4), (result.ScaleEvents, result.LargestStep, result.PeakReplicas));
    }

    [Fact]
    public void The_step_limit_and_the_scale_down_window_of_the_spec_apply()
    {
        // 600 rps needs 12, capped at 10: +4 at 0 s (2 -> 6), +4 at 15 s (6 -> 10). The drop at 60 s waits until the
        // last pass that saw 600 rps (58 s, passes run every 2 s) has left the 60 s window.
        var result = Run(Spec(Rps(50)), "0,600\n60,40\n200,40\n");

        Assert.Equal(
            [(0.0, 2, 6, ScaleRules.StepLimitUp), (15.0, 6, 10, ScaleRules.ClampToMax), (118.0, 10, 2, ScaleRules.ClampToMin)],
            result.Changes.Select(c => (c.At.TotalSeconds, c.From, c.To, c.Rule)));
        Assert.Equal(8, result.LargestStep);
    }

    [Fact]
    public void Cpu_in_the_trace_is_the_service_total_averaged_over_the_ready_replicas()
    {
        var cpu = new AutoscalingSpec { Metrics = [new MetricTarget(MetricKind.CpuPercent, 50)] };

        var result = Run(Spec(cpu), "time,rps,cpu\n0,10,200\n10,10,200\n");

        Assert.Equal((0.0, 2, 4), (result.Changes[0].At.TotalSeconds, result.Changes[0].From, result.Changes[0].To));
        Assert.Equal(3, result.SecondsAboveTarget, 6); // 100% average on 2 ready replicas until the 2 more are ready
        Assert.Equal(10 * 3, result.RequestsAboveTarget, 6); // no rps target: every request while above counts
    }

    [Fact]
    public void A_fixed_count_never_moves_and_is_measured_against_the_targets_it_is_given()
    {
        var spec = Spec(autoscaling: null, min: 2, max: 2);

        var result = Simulator.Run(spec, TraceParser.Parse("t.csv", "0,200\n10,200\n"), Settings, SloTargets.Of(Rps(50)));

        Assert.Empty(result.Changes);
        Assert.Equal((20.0, 2000.0), (result.SecondsAboveTarget, result.RequestsAboveTarget));
    }

    [Fact]
    public void The_result_is_the_same_on_every_run()
    {
        var csv = string.Concat(Enumerable.Range(0, 200).Select(i => $"{i * 10},{50 + (i * 37 % 400)}\n"));

        Assert.Equal(Run(Spec(Rps(50)), csv).Changes.ToList(), Run(Spec(Rps(50)), csv).Changes.ToList());
    }

    [Fact]
    public void The_decided_count_is_always_within_the_range()
    {
        var csv = string.Concat(Enumerable.Range(0, 300).Select(i => $"{i * 5},{i * 97 % 1000}\n"));

        var result = Run(Spec(Rps(20), min: 3, max: 7), csv);

        Assert.All(result.Changes, c => Assert.InRange(c.To, 3, 7));
        Assert.NotEmpty(result.Changes);
    }
}

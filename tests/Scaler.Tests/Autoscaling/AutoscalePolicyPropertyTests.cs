using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;
using Xunit.Abstractions;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

/// <summary>Invariants over many random runs (seeded, so a failure replays).</summary>
public sealed class AutoscalePolicyPropertyTests(ITestOutputHelper output)
{
    private sealed record Step(AutoscaleInput Input, ScaleDecision Decision);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_runs_keep_every_invariant(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 60; run++)
        {
            var spec = RandomSpec(random);
            var min = random.Next(0, 5);
            var range = new ReplicaRange(min, min + random.Next(0, 30));
            var steps = Run(random, spec, range, ticks: 80);

            foreach (var (step, index) in steps.Select((s, i) => (s, i)))
            {
                var (input, decision) = (step.Input, step.Decision);
                Assert.InRange(decision.Desired, range.Min, range.Max);
                Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
                Assert.False(string.IsNullOrWhiteSpace(decision.Rule));

                var anyMissing = input.FreshLoad is null || spec.Metrics.Any(m => Observed(input.FreshLoad, m.Kind) is null);
                if ((anyMissing || input.Ready == 0) && index > 0)
                {
                    Assert.True(decision.Desired >= decision.Current, $"seed {seed} run {run} tick {index}: {decision.Reason}");
                }

                AssertStepLimits(spec, steps, index);
            }
        }
    }

    [Theory]
    [InlineData(2, 11)]
    [InlineData(5, 12)]
    [InlineData(8, 13)]
    [InlineData(20, 14)]
    [InlineData(50, 15)]
    public void A_noisy_constant_load_does_not_flap(int needed, int seed)
    {
        var random = new Random(seed);
        foreach (var start in new[] { 1, needed, needed * 2 })
        {
            var spec = Rps(50); // the defaults: tolerance 10%, 5 min down window, +4 or +100% per 15 s
            var history = AutoscalerHistory.Empty;
            var counts = new List<int>();
            for (var tick = 0; tick < 120; tick++) // 30 minutes of 15 s ticks
            {
                var now = T0 + (Tick * tick);
                var live = history.LastDesired ?? start;
                var rps = needed * 50 * (1 + ((random.NextDouble() * 0.3) - 0.15));
                (var decision, history) = AutoscalePolicy.Decide(Input(spec, live, Load(live, rps: rps, at: now), range: new ReplicaRange(1, 200)), history);
                counts.Add(decision.Desired);
            }

            output.WriteLine($"needed {needed}, start {start}: {string.Join(",", counts)}");
            var settled = counts.Skip(40).ToList(); // after 10 minutes
            var changes = counts.Zip(counts.Skip(1)).Count(p => p.First != p.Second);
            Assert.True(settled.Distinct().Count() <= 2, $"start {start}: {string.Join(",", counts)}");
            Assert.InRange(settled[^1], (int)Math.Floor(needed * 0.85), (int)Math.Ceiling(needed * 1.15) + 1);
            Assert.True(changes <= (start == 1 ? 5 : 3), $"start {start}: {changes} changes: {string.Join(",", counts)}");
        }
    }

    private static List<Step> Run(Random random, AutoscalingSpec spec, ReplicaRange range, int ticks)
    {
        var steps = new List<Step>();
        var history = AutoscalerHistory.Empty;
        var now = T0;
        var load = random.Next(0, 40) * 10.0;
        for (var tick = 0; tick < ticks; tick++)
        {
            now += TimeSpan.FromSeconds(random.Next(1, 40));
            load = Math.Max(0, load + (random.Next(-3, 4) * 10 * random.NextDouble() * 4));
            var live = Math.Max(0, (history.LastDesired ?? range.Clamp(random.Next(0, 40))) + random.Next(-2, 2));
            var ready = random.Next(0, live + 1);
            var snapshot = random.Next(10) switch
            {
                0 => null,
                1 => Load(ready, rps: load, at: now - TimeSpan.FromMinutes(2)),
                _ => new LoadSnapshot(
                    now - TimeSpan.FromSeconds(random.Next(0, 20)),
                    ready,
                    Maybe(random, load),
                    Maybe(random, load / 20),
                    Maybe(random, 50 + (load / Math.Max(1, ready))),
                    Maybe(random, Math.Min(400, load / Math.Max(1, ready)))),
            };
            var input = new AutoscaleInput(spec, range, live, ready, snapshot, now, AutoscaleInput.DefaultStalenessLimit);
            (var decision, history) = AutoscalePolicy.Decide(input, history);
            steps.Add(new Step(input, decision));
        }

        return steps;
    }

    /// <summary>
    /// Within any period, a scale-up ends at most one step above the count any earlier decision of that period started
    /// from, and a scale-down at most one step below it.
    /// </summary>
    private static void AssertStepLimits(AutoscalingSpec spec, List<Step> steps, int index)
    {
        var decision = steps[index].Decision;
        var now = steps[index].Input.Now;
        var outOfRange = steps[0].Decision.Current < steps[0].Input.Range.Min || steps[0].Decision.Current > steps[0].Input.Range.Max;
        for (var earlier = index; earlier >= (outOfRange ? 1 : 0); earlier--)
        {
            var start = steps[earlier].Decision.Current;
            if (decision.Desired > decision.Current && now - steps[earlier].Input.Now < spec.ScaleUp.Period)
            {
                Assert.True(decision.Desired <= start + StepLimit.Step(start, spec.ScaleUp), decision.Reason);
            }

            if (decision.Desired < decision.Current && now - steps[earlier].Input.Now < spec.ScaleDown.Period)
            {
                Assert.True(decision.Desired >= start - StepLimit.Step(start, spec.ScaleDown), decision.Reason);
            }
        }
    }

    private static AutoscalingSpec RandomSpec(Random random)
    {
        MetricTarget[] all = [new(MetricKind.RequestsPerSecond, random.Next(5, 60)), new(MetricKind.InFlight, random.Next(1, 10)), new(MetricKind.P95LatencyMs, random.Next(50, 300)), new(MetricKind.CpuPercent, random.Next(30, 90))];
        return new AutoscalingSpec
        {
            Metrics = [.. all.Where(_ => random.Next(2) == 0).DefaultIfEmpty(all[0])],
            Tolerance = random.Next(0, 4) * 0.05,
            ScaleUp = RandomRules(random),
            ScaleDown = RandomRules(random),
        };
    }

    private static ScalingRules RandomRules(Random random) =>
        new(TimeSpan.FromSeconds(random.Next(0, 4) * 60), random.Next(0, 5), random.Next(0, 3) * 50, TimeSpan.FromSeconds(random.Next(1, 5) * 15));

    private static double? Maybe(Random random, double value) => random.Next(8) == 0 ? null : value;

    private static double? Observed(LoadSnapshot load, MetricKind kind) => kind switch
    {
        MetricKind.RequestsPerSecond => load.RequestsPerSecond,
        MetricKind.InFlight => load.InFlight,
        MetricKind.P95LatencyMs => load.Replicas > 0 ? load.P95LatencyMs : null,
        _ => load.Replicas > 0 ? load.CpuPercent : null,
    };
}

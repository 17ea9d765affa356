using Bollard.Scaler.Autoscaling;
using static Bollard.Scaler.Tests.Autoscaling.Scenario;

namespace Bollard.Scaler.Tests.Autoscaling;

public sealed class AutoscalerHistoryTests
{
    [Fact]
    public void Histories_with_the_same_entries_are_equal()
    {
        var a = new AutoscalerHistory { LastDesired = 3, Recommendations = [new(T0, 3)], Events = [new(T0, 2, 3)] };
        var b = new AutoscalerHistory { LastDesired = 3, Recommendations = [new(T0, 3)], Events = [new(T0, 2, 3)] };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Recommendations = [new(T0, 4)] });
        Assert.NotEqual(a, b with { LastDesired = 4 });
    }

    [Fact]
    public void The_same_input_gives_the_same_decision_and_history()
    {
        var input = Input(Rps(10), 4, Load(4, rps: 75));

        Assert.Equal(AutoscalePolicy.Decide(input, AutoscalerHistory.Empty), AutoscalePolicy.Decide(input, AutoscalerHistory.Empty));
    }

    [Fact]
    public void Compaction_never_changes_the_extremes_of_a_window_ending_now()
    {
        var random = new Random(1234);
        for (var trial = 0; trial < 300; trial++)
        {
            var entries = new List<TimedCount>();
            var compacted = System.Collections.Immutable.ImmutableArray<TimedCount>.Empty;
            var now = T0;
            for (var i = 0; i < 60; i++)
            {
                now += TimeSpan.FromSeconds(random.Next(1, 30));
                var entry = new TimedCount(now, random.Next(0, 12));
                entries.Add(entry);
                compacted = HistoryCompaction.Recommendations(compacted.Add(entry), now - TimeSpan.FromMinutes(5));

                var cutoff = now - TimeSpan.FromSeconds(random.Next(1, 300));
                var full = entries.Where(e => e.At > cutoff).Select(e => e.Count).ToList();
                var kept = compacted.Where(e => e.At > cutoff).Select(e => e.Count).ToList();
                Assert.Equal(full.Max(), kept.Max());
                Assert.Equal(full.Min(), kept.Min());
            }
        }
    }

    [Fact]
    public void The_history_stays_small_however_often_decisions_run()
    {
        var random = new Random(99);
        var spec = Rps(10);
        var history = AutoscalerHistory.Empty;
        var now = T0;
        for (var i = 0; i < 6_000; i++) // five minutes of decisions 50 ms apart
        {
            now += TimeSpan.FromMilliseconds(50);
            var live = history.LastDesired ?? 5;
            (_, history) = AutoscalePolicy.Decide(Input(spec, live, Load(live, rps: random.Next(0, 400), at: now)), history);
            Assert.True(history.Recommendations.Length <= (2 * 40) + 1, $"{history.Recommendations.Length} recommendations");
            Assert.True(history.Events.Length <= (2 * 40) + 1, $"{history.Events.Length} events");
        }
    }

    [Fact]
    public void A_lost_history_starts_again_from_the_live_count()
    {
        var decision = Decide(Input(Rps(10), 6, Load(6, rps: 60)));

        Assert.Equal(6, decision.Current);
        Assert.Equal(6, decision.Desired);
    }

    [Fact]
    public void After_a_restart_the_count_does_not_fall_before_the_window_has_seen_the_load()
    {
        var spec = Rps(10) with { ScaleDown = new(TimeSpan.FromMinutes(5), 100, 100, TimeSpan.FromSeconds(15)) };
        var history = AutoscalerHistory.Empty;
        var counts = new List<int>();
        for (var tick = 0; tick <= 21; tick++)
        {
            var now = T0 + (Tick * tick);
            (var decision, history) = AutoscalePolicy.Decide(Input(spec, 10, Load(10, rps: 40, at: now)), history);
            counts.Add(decision.Desired);
        }

        Assert.All(counts.Take(20), c => Assert.Equal(10, c));
        Assert.Equal(4, counts[^1]);
    }

    [Fact]
    public void A_crashed_replica_does_not_lower_the_count()
    {
        // Decided 8; one crashed and metrics are missing: hold the decided 8, not the 7 alive.
        var history = AutoscalerHistory.Empty with { LastDesired = 8 };

        var decision = Decide(Input(Rps(10), 7, null), history);

        Assert.Equal(8, decision.Current);
        Assert.Equal(8, decision.Desired);
        Assert.Equal(7, decision.Inputs["live"]);
    }
}

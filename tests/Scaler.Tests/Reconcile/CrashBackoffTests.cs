using Bollard.Scaler.Health;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Reconcile;

public sealed class CrashBackoffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceSpec Web = new() { Name = "web", Image = "app:1", Port = 8080 };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]   // capped at 5 min
    [InlineData(1000, 300)]
    public void The_wait_doubles_from_initial_up_to_max(int failedStarts, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), CrashBackoff.Delay(CrashBackoffSpec.Default, failedStarts, 0.5));
    }

    [Fact]
    public void Jitter_varies_a_wait_by_at_most_a_fifth_and_never_above_max()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var failed = random.Next(1, 20);
            var wait = CrashBackoff.Delay(CrashBackoffSpec.Default, failed, random.NextDouble());
            var plain = CrashBackoff.Delay(CrashBackoffSpec.Default, failed, 0.5);
            Assert.InRange(wait, plain * 0.8, plain * 1.2);
            Assert.True(wait <= CrashBackoffSpec.Default.Max);
        }
    }

    [Fact]
    public void A_crashing_version_waits_longer_after_each_failed_start_and_other_versions_are_not_held()
    {
        var loops = new CrashLoops(() => 0.5);
        var now = T0;
        var starts = new List<DateTimeOffset>();

        // A version that dies at once, retried as soon as it may, over 90 s of virtual time.
        while (now < T0.AddSeconds(90))
        {
            if (!loops.Blocked(now).Contains(("web", "v2")))
            {
                starts.Add(now);
                loops.RecordFailedStart(Web, "v2", now, "exited with code 1");
            }

            now = now.AddMilliseconds(100);
        }

        Assert.Equal([0, 1, 3, 7, 15, 31, 63], starts.Select(s => (int)Math.Round((s - T0).TotalSeconds)));
        Assert.Equal(7, loops.FailedStarts("web", "v2"));
        Assert.DoesNotContain(("web", "v1"), loops.Blocked(now));
    }

    [Fact]
    public void A_replica_passing_for_the_reset_time_clears_the_count()
    {
        var loops = new CrashLoops(() => 0.5);
        loops.RecordFailedStart(Web, "v2", T0, "exited with code 1");
        loops.RecordFailedStart(Web, "v2", T0.AddSeconds(2), "exited with code 1");
        var specs = new Dictionary<string, ServiceSpec> { ["web"] = Web };
        var young = Replica("v2", T0.AddSeconds(10), passing: true);

        Assert.Empty(loops.ClearRecovered([young], specs, T0.AddMinutes(1)));
        Assert.Empty(loops.ClearRecovered([Replica("v2", T0.AddMinutes(-10), passing: false)], specs, T0.AddMinutes(1)));
        Assert.Equal(2, loops.FailedStarts("web", "v2"));

        var cleared = Assert.Single(loops.ClearRecovered([young], specs, T0.AddSeconds(10) + Web.CrashBackoff.ResetAfter));
        Assert.Equal(2, cleared.FailedStarts);
        Assert.Equal(0, loops.FailedStarts("web", "v2"));
    }

    [Fact]
    public void A_service_no_longer_declared_is_forgotten()
    {
        var loops = new CrashLoops(() => 0.5);
        loops.RecordFailedStart(Web, "v2", T0, "exited with code 1");

        loops.ClearRecovered([], new Dictionary<string, ServiceSpec>(), T0);

        Assert.Empty(loops.Of("web"));
    }

    private static ReplicaView Replica(string version, DateTimeOffset created, bool passing) =>
        new("h1", new ObservedContainer("c1", "c1", "web", version, "z1", ContainerRunState.Running, "127.0.0.1", 30000, created), passing ? ReplicaHealth.Healthy : ReplicaHealth.Unknown, passing);
}

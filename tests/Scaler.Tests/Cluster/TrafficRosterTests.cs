using Bollard.Scaler.Cluster;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class TrafficRosterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);

    [Fact]
    public void The_other_agents_current_readings_count_and_this_agents_own_does_not()
    {
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a1", 1, 100), Report("a2", 1, 40), Report("a3", 1, 2)], T0);

        Assert.Equal([2d, 40d], roster.Remote("web", T0 + TimeSpan.FromSeconds(1)).Select(t => t.RequestsPerSecond).Order());
        Assert.Empty(roster.Remote("other", T0));
    }

    [Fact]
    public void A_report_that_stops_moving_is_old_load_on_this_agents_clock()
    {
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a2", 1, 40)], T0);
        // Read again with the same sequence (another agent's key changed): it has not moved.
        roster = roster.Observe([Report("a2", 1, 40), Report("a3", 1, 10)], T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(2, roster.Remote("web", T0 + MaxAge).Count);
        Assert.Equal([10d], roster.Remote("web", T0 + TimeSpan.FromSeconds(4)).Select(t => t.RequestsPerSecond));
    }

    [Fact]
    public void A_replica_is_drained_from_the_others_only_by_reports_read_after_it_left_the_catalog()
    {
        var since = T0 + TimeSpan.FromSeconds(1);
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a2", 1, 40)], T0);

        // The only report was published before: a request may have started since.
        Assert.False(roster.OthersDrained("web-1", since, since));

        roster = roster.Observe([Report("a2", 2, 40, busy: "web-1")], since);
        Assert.False(roster.OthersDrained("web-1", since, since));
        Assert.True(roster.OthersDrained("web-2", since, since));

        roster = roster.Observe([Report("a2", 3, 40)], since + TimeSpan.FromSeconds(1));
        Assert.True(roster.OthersDrained("web-1", since, since + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void An_agent_that_stopped_publishing_holds_the_drain_while_its_last_report_lists_the_replica()
    {
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a2", 1, 40, busy: "web-1")], T0);

        // Long after its report went old for the load, it still holds the drain (hung, or dead until its session ends).
        Assert.Empty(roster.Remote("web", T0 + TimeSpan.FromMinutes(1)));
        Assert.False(roster.OthersDrained("web-1", T0, T0 + TimeSpan.FromMinutes(1)));

        // Once its key is gone (its session ended), it holds nothing.
        Assert.True(roster.Observe([], T0 + TimeSpan.FromMinutes(1)).OthersDrained("web-1", T0, T0 + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void An_agent_with_traffic_must_have_published_since_the_replica_left_but_an_idle_agents_empty_report_clears_it()
    {
        var since = T0 + TimeSpan.FromSeconds(2);
        var busyElsewhere = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a2", 1, 40, busy: "web-2")], T0);
        var idle = TrafficRoster.Empty("a1", MaxAge).Observe([KeyValuePair.Create("k2", new TrafficReport("a2", 1, new Dictionary<string, ServiceTraffic>()))], T0);

        Assert.False(busyElsewhere.OthersDrained("web-1", since, since + TimeSpan.FromMinutes(1)));
        Assert.True(busyElsewhere.Observe([Report("a2", 2, 40, busy: "web-2")], since).OthersDrained("web-1", since, since));

        // An idle agent's last report is empty: nothing in flight, but only once the interval for a new request to show has passed.
        Assert.False(idle.OthersDrained("web-1", since, since - TimeSpan.FromMilliseconds(1)));
        Assert.True(idle.OthersDrained("web-1", since, since));
    }

    [Fact]
    public void This_agents_own_report_does_not_hold_a_drain()
    {
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe([Report("a1", 1, 40, busy: "web-1")], T0);

        Assert.True(roster.OthersDrained("web-1", T0 + TimeSpan.FromSeconds(1), T0 + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_versions_readings_count_only_over_the_same_window()
    {
        var tenSeconds = new ServiceTraffic(40, 1, 20) { Versions = new Dictionary<string, TrafficStats> { ["v2"] = new(30, 1, 50) }, VersionWindow = TimeSpan.FromSeconds(10) };
        var minute = tenSeconds with { VersionWindow = TimeSpan.FromMinutes(1) };
        var roster = TrafficRoster.Empty("a1", MaxAge).Observe(
        [
            KeyValuePair.Create("k2", new TrafficReport("a2", 1, new Dictionary<string, ServiceTraffic> { ["web"] = tenSeconds })),
            KeyValuePair.Create("k3", new TrafficReport("a3", 1, new Dictionary<string, ServiceTraffic> { ["web"] = minute })),
            KeyValuePair.Create("k1", new TrafficReport("a1", 1, new Dictionary<string, ServiceTraffic> { ["web"] = tenSeconds })),
        ],
            T0);

        Assert.Equal([new TrafficStats(30, 1, 50)], roster.RemoteVersion("web", "v2", TimeSpan.FromMilliseconds(9500), T0));
        Assert.Single(roster.RemoteVersion("web", "v2", TimeSpan.FromMinutes(2), T0));
        Assert.Empty(roster.RemoteVersion("web", "v1", TimeSpan.FromSeconds(10), T0));
    }

    private static KeyValuePair<string, TrafficReport> Report(string agent, long sequence, double rate, params string[] busy) =>
        KeyValuePair.Create($"bollard/c/traffic/{agent}", new TrafficReport(agent, sequence, new Dictionary<string, ServiceTraffic>
        {
            ["web"] = new(rate, 1, 20),
        })
        { Busy = busy });
}

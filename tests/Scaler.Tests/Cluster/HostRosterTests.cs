using Bollard.Scaler.Cluster;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class HostRosterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Forget = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_fresh_report_is_reachable()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1)], T0, Forget);

        Assert.Null(HostRoster.Unreachable(roster.Entries["h2"], T0 + TimeSpan.FromSeconds(5), Stale));
    }

    [Fact]
    public void A_report_that_stops_moving_goes_stale_on_this_agents_clock()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1)], T0, Forget);
        // Read again with the same sequence (another host's key changed): it has not moved.
        roster = roster.Observe([Report("h2", 1)], T0 + TimeSpan.FromSeconds(10), Forget);

        Assert.Null(HostRoster.Unreachable(roster.Entries["h2"], T0 + Stale, Stale));
        Assert.Contains("has not published for 16 s", HostRoster.Unreachable(roster.Entries["h2"], T0 + TimeSpan.FromSeconds(16), Stale), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_sequence_makes_it_fresh_again()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1)], T0, Forget)
            .Observe([Report("h2", 2)], T0 + TimeSpan.FromSeconds(20), Forget);

        Assert.Null(HostRoster.Unreachable(roster.Entries["h2"], T0 + TimeSpan.FromSeconds(21), Stale));
    }

    [Fact]
    public void A_restarted_agent_counting_from_the_same_sequence_is_news()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1, agent: "a")], T0, Forget)
            .Observe([Report("h2", 1, agent: "b")], T0 + TimeSpan.FromSeconds(20), Forget);

        Assert.Equal(T0 + TimeSpan.FromSeconds(20), roster.Entries["h2"].MovedAt);
    }

    [Fact]
    public void A_vanished_report_is_unreachable_not_gone_until_it_is_forgotten()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1), Report("h3", 1)], T0, Forget)
            .Observe([Report("h3", 2)], T0 + TimeSpan.FromSeconds(1), Forget);

        Assert.Contains("left Consul", HostRoster.Unreachable(roster.Entries["h2"], T0 + TimeSpan.FromSeconds(2), Stale), StringComparison.Ordinal);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), roster.Entries["h2"].GoneAt);

        // Later readings keep the time it went, then forget it.
        roster = roster.Observe([Report("h3", 3)], T0 + Forget, Forget);
        Assert.Equal(T0 + TimeSpan.FromSeconds(1), roster.Entries["h2"].GoneAt);
        roster = roster.Observe([Report("h3", 4)], T0 + Forget + TimeSpan.FromSeconds(1), Forget);
        Assert.False(roster.Entries.ContainsKey("h2"));
    }

    [Fact]
    public void A_host_that_returns_is_reachable_again()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 5)], T0, Forget)
            .Observe([], T0 + TimeSpan.FromSeconds(1), Forget)
            .Observe([Report("h2", 1)], T0 + TimeSpan.FromSeconds(30), Forget);

        Assert.Null(roster.Entries["h2"].GoneAt);
        Assert.Null(HostRoster.Unreachable(roster.Entries["h2"], T0 + TimeSpan.FromSeconds(31), Stale));
    }

    [Fact]
    public void An_engine_the_agent_cannot_read_makes_the_host_unreachable()
    {
        var roster = HostRoster.Empty.Observe([Report("h2", 1) with { Unreachable = "connection refused" }], T0, Forget);

        Assert.Contains("connection refused", HostRoster.Unreachable(roster.Entries["h2"], T0, Stale), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_change_of_hosts_or_containers_is_a_difference()
    {
        var first = HostRoster.Empty.Observe([Report("h2", 1, "c1")], T0, Forget);

        Assert.False(first.Observe([Report("h2", 2, "c1")], T0 + TimeSpan.FromSeconds(2), Forget).DiffersFrom(first));
        var withCpu = Report("h2", 3, "c1") with { Cpu = new Dictionary<string, ContainerCpuSample> { ["c1"] = new(1, T0) } };
        Assert.False(first.Observe([withCpu], T0 + TimeSpan.FromSeconds(4), Forget).DiffersFrom(first));
        Assert.True(first.Observe([Report("h2", 2, "c1", "c2")], T0 + TimeSpan.FromSeconds(2), Forget).DiffersFrom(first));
        Assert.True(first.Observe([], T0 + TimeSpan.FromSeconds(2), Forget).DiffersFrom(first));
        Assert.True(first.Observe([Report("h2", 1, "c1"), Report("h3", 1)], T0, Forget).DiffersFrom(first));
    }

    internal static HostReport Report(string host, long sequence, params string[] containers) => Report(host, sequence, "agent-1", containers);

    private static HostReport Report(string host, long sequence, string agent, params string[] containers) =>
        new(host, "zone-" + host, "127.0.0.1", null, agent, sequence, [.. containers.Select(Container)], null);

    internal static ObservedContainer Container(string id) =>
        new(id, "bollard-" + id, "web", "v1", "zone-b", ContainerRunState.Running, "127.0.0.1", 30000, T0);
}

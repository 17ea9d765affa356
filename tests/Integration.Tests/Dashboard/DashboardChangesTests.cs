using System.Text.Json;
using Bollard.Dashboard;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>What the feed sends when the state changes: only what changed, removals by key, new decisions once.</summary>
public sealed class DashboardChangesTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public void Only_changed_items_and_new_decisions_are_sent()
    {
        var first = new Decision(T0, "web", "create", "a", "below desired", "ok");
        var before = State([Service("web", 3), Service("api", 1)], [Replica("r1", "ready"), Replica("r2", "starting")], [first]);
        var second = new Decision(T0.AddSeconds(1), "web", "register", "r2", "passed its check", "ok");
        var after = State([Service("web", 3), Service("api", 2)], [Replica("r1", "ready"), Replica("r2", "ready"), Replica("r3", "starting")], [first, second]);

        var events = DashboardChanges.Between(before, after, new Dictionary<string, TrafficPoint>(), Json);

        Assert.Equal(["service", "replica", "replica", "decision"], events.Select(e => e.Type));
        Assert.Contains("\"name\":\"api\"", events[0].Data, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"r2\"", events[1].Data, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"r3\"", events[2].Data, StringComparison.Ordinal);
        Assert.Contains("passed its check", events[3].Data, StringComparison.Ordinal);
    }

    [Fact]
    public void Removed_items_are_sent_by_their_key_and_traffic_once_per_tick()
    {
        var before = State([Service("web", 3), Service("old", 1)], [Replica("r1", "ready")], []);
        var after = State([Service("web", 3)], [], []);
        var point = new TrafficPoint(1000, 12, 20, 0, 1, []);

        var events = DashboardChanges.Between(before, after, new Dictionary<string, TrafficPoint> { ["web"] = point }, Json);

        Assert.Equal(["service-removed", "replica-removed", "traffic"], events.Select(e => e.Type));
        Assert.Equal("""{"name":"old"}""", events[0].Data);
        Assert.Equal("""{"id":"r1"}""", events[1].Data);
        Assert.Contains("\"web\":{\"at\":1000,\"rps\":12", events[2].Data, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_state_is_sent_whole_by_the_snapshot_so_it_makes_no_item_events()
    {
        var events = DashboardChanges.Between(null, State([Service("web", 3)], [Replica("r1", "ready")], []), new Dictionary<string, TrafficPoint>(), Json);

        Assert.Empty(events);
    }

    private static DashboardState State(ServiceStatus[] services, ReplicaView[] replicas, Decision[] decisions) =>
        new(T0, services, replicas, [new HostView("h1", "zone-a", true, null, 1)], decisions, new Dictionary<string, IReadOnlyList<TrafficPoint>>());

    private static ServiceStatus Service(string name, int healthy) =>
        new(name, "v1", "img:1", "3", healthy, [new ReplicaGroup("zone-a", "v1", healthy)], [new VersionWeight("v1", 100)], "healthy", 0.99, null, null);

    private static ReplicaView Replica(string id, string state) => new(id, "web", "v1", "h1", "zone-a", state, T0);
}

using Bollard.Scaler.Health;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>The planner over several hosts in several zones: spread, loss of a zone, its return.</summary>
public sealed class ReconcilePlannerZoneTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceSpec Web = new() { Name = "web", Image = "app:1", Port = 8080 };
    private static readonly ReplicaHealth Passing = new(true, 0);
    private static readonly HostSlot[] ThreeZones = [new("a1", "a", true), new("b1", "b", true), new("c1", "c", true)];

    [Fact]
    public void New_replicas_spread_evenly_over_the_zones()
    {
        var plan = Plan(6, ThreeZones);

        var perHost = plan.Actions.OfType<CreateReplica>().GroupBy(c => c.Host).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["a1"] = 2, ["b1"] = 2, ["c1"] = 2 }, perHost);
    }

    [Fact]
    public void A_lost_zone_is_replaced_in_the_others_and_nothing_of_the_service_is_removed()
    {
        HostSlot[] cLost = [ThreeZones[0], ThreeZones[1], new("c1", "c", false)];
        var replicas = new[] { Replica("a", "a1"), Replica("b", "b1") };

        var plan = Plan(3, cLost, frozen: true, replicas);

        Assert.Single(plan.Actions.OfType<CreateReplica>());
        Assert.DoesNotContain(plan.Actions, a => a.Host == "c1");
        Assert.Empty(plan.Actions.OfType<RemoveReplica>());
    }

    [Fact]
    public void A_returning_zone_gets_new_replicas_before_the_surplus_goes()
    {
        var replicas = new[] { Replica("a", "a1"), Replica("a2", "a1", created: Now.AddMinutes(-1)), Replica("b", "b1") };

        var first = Plan(3, ThreeZones, frozen: false, replicas);
        var creates = first.Actions.OfType<CreateReplica>().ToList();
        Assert.Equal("c1", Assert.Single(creates).Host);
        Assert.Empty(first.Actions.OfType<RemoveReplica>()); // 3 healthy is exactly the target: nothing goes yet

        var second = Plan(3, ThreeZones, frozen: false, [.. replicas, Replica("c", "c1")]);
        var removed = Assert.Single(second.Actions.OfType<RemoveReplica>());
        Assert.Equal(("a1", "a2"), (removed.Host, removed.Container.Id));
    }

    [Fact]
    public void A_frozen_service_keeps_its_surplus()
    {
        var replicas = new[] { Replica("a", "a1"), Replica("b", "b1"), Replica("c", "c1") };

        var plan = Plan(1, ThreeZones, frozen: true, replicas);

        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void Per_zone_counts_are_reported()
    {
        var plan = Plan(3, ThreeZones, frozen: false, Replica("a", "a1"), Replica("b", "b1"), Replica("c", "c1"));

        var count = Assert.Single(plan.Counts);
        Assert.Equal(3, count.DesiredPerZone.Count);
        Assert.All(count.HealthyPerZone.Values, n => Assert.Equal(1, n));
    }

    private static ReconcilePlan Plan(int desired, IReadOnlyList<HostSlot> hosts, bool frozen = false, params ReplicaView[] replicas) =>
        ReconcilePlanner.Plan(new ReconcileInput(
            [ServiceTarget.Steady(Web, desired)],
            hosts,
            replicas,
            frozen ? new HashSet<string> { "web" } : new HashSet<string>(),
            Now,
            new HashSet<(string, string)>()));

    private static ReplicaView Replica(string id, string host, DateTimeOffset? created = null) =>
        new(host, new ObservedContainer(id, id, "web", Web.Version, host[..1], ContainerRunState.Running, "127.0.0.1", 30000, created ?? Now.AddMinutes(-5)), Passing, Registered: true);
}

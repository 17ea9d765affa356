using Bollard.Balancer.Routing;
using static Bollard.Balancer.Tests.Routing.RoutingSnapshotBuilderTests;

namespace Bollard.Balancer.Tests.Routing;

public sealed class RoutingChangeTests
{
    [Fact]
    public void Lists_added_and_removed_instances_per_changed_service()
    {
        var before = RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web"), new ServiceRoute("old", null, "/old"), new ServiceRoute("same", null, "/same")],
            Snapshots(Instance("web", "w1"), Instance("web", "w2"), Instance("old", "o1"), Instance("same", "s1")));
        var after = RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web"), new ServiceRoute("new", null, "/new"), new ServiceRoute("same", null, "/same")],
            Snapshots(Instance("web", "w2"), Instance("web", "w3"), Instance("new", "n1"), Instance("same", "s1")));

        var changes = RoutingChange.Between(before, after);

        Assert.Collection(
            changes,
            c => Assert.Equal(("new", RoutingChangeKind.RouteAdded, "n1", ""), Flatten(c)),
            c => Assert.Equal(("old", RoutingChangeKind.RouteRemoved, "", "o1"), Flatten(c)),
            c => Assert.Equal(("web", RoutingChangeKind.Updated, "w3", "w1"), Flatten(c)));
    }

    private static (string, RoutingChangeKind, string, string) Flatten(RoutingChange change) =>
        (change.Service, change.Kind, string.Join(",", change.Added), string.Join(",", change.Removed));
}

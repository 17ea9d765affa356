using System.Collections.Immutable;

namespace Bollard.Balancer.Routing;

/// <summary>What changed for one service between two published snapshots (for the log, never for routing).</summary>
/// <param name="Service">The service.</param>
/// <param name="Kind">Whether the service's route appeared, disappeared or stayed.</param>
/// <param name="Added">Instance ids that became destinations.</param>
/// <param name="Removed">Instance ids that stopped being destinations.</param>
/// <param name="RouteChanged">True when the host or path prefix changed.</param>
internal sealed record RoutingChange(
    string Service,
    RoutingChangeKind Kind,
    ImmutableArray<string> Added,
    ImmutableArray<string> Removed,
    bool RouteChanged)
{
    /// <summary>The per-service differences, ordered by service; services that did not change are left out.</summary>
    public static IReadOnlyList<RoutingChange> Between(RoutingSnapshot previous, RoutingSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);

        var names = previous.Services.Select(s => s.Service)
            .Union(next.Services.Select(s => s.Service), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        var changes = new List<RoutingChange>();
        foreach (var name in names)
        {
            var before = previous.Find(name);
            var after = next.Find(name);
            if (Equals(before, after))
            {
                continue;
            }

            var beforeIds = before?.Destinations.Select(d => d.InstanceId) ?? [];
            var afterIds = after?.Destinations.Select(d => d.InstanceId) ?? [];
            var kind = before is null ? RoutingChangeKind.RouteAdded
                : after is null ? RoutingChangeKind.RouteRemoved
                : RoutingChangeKind.Updated;
            var routeChanged = before is not null && after is not null
                && (before.Host != after.Host || before.PathPrefix != after.PathPrefix);

            // An instance whose zone or version changed keeps its id: it shows up in neither list.
            changes.Add(new RoutingChange(
                name,
                kind,
                [.. afterIds.Except(beforeIds, StringComparer.Ordinal)],
                [.. beforeIds.Except(afterIds, StringComparer.Ordinal)],
                routeChanged));
        }

        return changes;
    }
}

internal enum RoutingChangeKind
{
    Updated,
    RouteAdded,
    RouteRemoved,
}

using System.Collections.Immutable;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Placement;

/// <summary>
/// Where a service's replicas go: evenly over the available zones, then evenly over the available hosts of each
/// zone, each level within the spec's max skew, moving as few replicas as possible (see <see cref="EvenSpread"/>).
/// </summary>
/// <remarks>
/// Invariants of every plan: the targets of the available hosts sum to the desired count; no two available zones,
/// and no two available hosts of one zone, differ by more than the max skew (1 when the count cannot divide evenly
/// and the skew is 0); an unavailable host (or one holding replicas but missing from the list) keeps its current
/// count as target, is not counted toward the desired total, and gets nothing new. When a lost zone returns, the plan
/// moves back toward even; the applier starts before it stops (see <see cref="PlacementPlan"/>).
/// </remarks>
public static class PlacementPolicy
{
    public static PlacementPlan Place(int desired, IReadOnlyList<HostSlot> hosts, IReadOnlyDictionary<string, int> currentPerHost, PlacementSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(desired);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(currentPerHost);
        ArgumentNullException.ThrowIfNull(spec);
        if (hosts.GroupBy(h => h.Host, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"host '{duplicate.Key}' is listed more than once", nameof(hosts));
        }

        int Current(string host) => Math.Max(0, currentPerHost.GetValueOrDefault(host));
        var targets = new List<HostTarget>();
        var zones = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);

        var available = hosts.Where(h => h.Available)
            .GroupBy(h => h.Zone, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Zone: g.Key, Hosts: g.OrderBy(h => h.Host, StringComparer.Ordinal).ToList()))
            .ToList();
        var zoneTargets = EvenSpread.Spread([.. available.Select(z => z.Hosts.Sum(h => Current(h.Host)))], desired, spec.MaxSkew);
        for (var z = 0; z < available.Count; z++)
        {
            var (zone, zoneHosts) = available[z];
            var hostTargets = EvenSpread.Spread([.. zoneHosts.Select(h => Current(h.Host))], zoneTargets[z], spec.MaxSkew);
            zones[zone] = zoneTargets[z];
            targets.AddRange(zoneHosts.Select((h, i) => new HostTarget(h.Host, zone, Current(h.Host), hostTargets[i], true)));
        }

        var known = hosts.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        var untouched = hosts.Where(h => !h.Available).Select(h => new HostTarget(h.Host, h.Zone, Current(h.Host), Current(h.Host), false))
            .Concat(currentPerHost.Keys.Where(h => !known.Contains(h)).Select(h => new HostTarget(h, "", Current(h), Current(h), false)));
        targets.AddRange(untouched);

        var ordered = targets.OrderBy(t => t.Host, StringComparer.Ordinal).ToImmutableArray();
        return new PlacementPlan(ordered, zones.ToImmutable(), PlacementReason.Describe(desired, ordered, zones, spec));
    }
}

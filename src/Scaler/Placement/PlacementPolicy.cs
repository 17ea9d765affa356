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
/// The reconcile loop places every service on every pass, so the targets are computed with plain loops over the
/// (few) hosts, and the words of the plan only when asked for (<see cref="Targets"/> leaves them out).
/// </remarks>
public static class PlacementPolicy
{
    public static PlacementPlan Place(int desired, IReadOnlyList<HostSlot> hosts, IReadOnlyDictionary<string, int> currentPerHost, PlacementSpec spec)
    {
        var (targets, zones) = Targets(desired, hosts, currentPerHost, spec);
        return new PlacementPlan(targets, zones, PlacementReason.Describe(desired, targets, zones, spec));
    }

    /// <summary>The plan's targets, per host in host-name order and per zone, without its reason.</summary>
    internal static (ImmutableArray<HostTarget> Hosts, ImmutableSortedDictionary<string, int> Zones) Targets(
        int desired, IReadOnlyList<HostSlot> hosts, IReadOnlyDictionary<string, int> currentPerHost, PlacementSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(desired);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(currentPerHost);
        ArgumentNullException.ThrowIfNull(spec);
        ThrowOnDuplicate(hosts);

        int Current(string host) => Math.Max(0, currentPerHost.GetValueOrDefault(host));

        // Available hosts by zone, then host name: each zone is a run of this list.
        var available = new List<HostSlot>(hosts.Count);
        foreach (var host in hosts)
        {
            if (host.Available)
            {
                available.Add(host);
            }
        }

        available.Sort(static (x, y) => string.CompareOrdinal(x.Zone, y.Zone) is var zone and not 0 ? zone : string.CompareOrdinal(x.Host, y.Host));
        var runs = ZoneRuns(available);
        var zoneCurrents = new int[runs.Count];
        for (var z = 0; z < runs.Count; z++)
        {
            for (var i = runs[z].Start; i < runs[z].End; i++)
            {
                zoneCurrents[z] += Current(available[i].Host);
            }
        }

        var zoneTargets = EvenSpread.Spread(zoneCurrents, desired, spec.MaxSkew);
        var targets = new List<HostTarget>(hosts.Count + currentPerHost.Count);
        var zones = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (var z = 0; z < runs.Count; z++)
        {
            var (start, end) = runs[z];
            var currents = new int[end - start];
            for (var i = start; i < end; i++)
            {
                currents[i - start] = Current(available[i].Host);
            }

            var hostTargets = EvenSpread.Spread(currents, zoneTargets[z], spec.MaxSkew);
            zones[available[start].Zone] = zoneTargets[z];
            for (var i = start; i < end; i++)
            {
                targets.Add(new HostTarget(available[i].Host, available[i].Zone, currents[i - start], hostTargets[i - start], true));
            }
        }

        // Unavailable hosts, and hosts holding replicas that are not in the list: untouched.
        foreach (var host in hosts)
        {
            if (!host.Available)
            {
                targets.Add(new HostTarget(host.Host, host.Zone, Current(host.Host), Current(host.Host), false));
            }
        }

        foreach (var host in currentPerHost.Keys)
        {
            if (!Listed(hosts, host))
            {
                targets.Add(new HostTarget(host, "", Current(host), Current(host), false));
            }
        }

        targets.Sort(static (x, y) => string.CompareOrdinal(x.Host, y.Host));
        return ([.. targets], zones.ToImmutable());
    }

    private static List<(int Start, int End)> ZoneRuns(List<HostSlot> sorted)
    {
        var runs = new List<(int Start, int End)>();
        for (var start = 0; start < sorted.Count;)
        {
            var end = start + 1;
            while (end < sorted.Count && sorted[end].Zone == sorted[start].Zone)
            {
                end++;
            }

            runs.Add((start, end));
            start = end;
        }

        return runs;
    }

    // Host lists are short (the hosts of one agent): a quadratic scan allocates nothing.
    private static void ThrowOnDuplicate(IReadOnlyList<HostSlot> hosts)
    {
        for (var i = 1; i < hosts.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (hosts[i].Host == hosts[j].Host)
                {
                    throw new ArgumentException($"host '{hosts[i].Host}' is listed more than once", nameof(hosts));
                }
            }
        }
    }

    private static bool Listed(IReadOnlyList<HostSlot> hosts, string host)
    {
        foreach (var slot in hosts)
        {
            if (slot.Host == host)
            {
                return true;
            }
        }

        return false;
    }
}

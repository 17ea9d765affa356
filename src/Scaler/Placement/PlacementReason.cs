using System.Collections.Immutable;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Placement;

/// <summary>The words of a plan: the spread, the moves, and what was left alone and why.</summary>
internal static class PlacementReason
{
    public static string Describe(int desired, ImmutableArray<HostTarget> hosts, IReadOnlyDictionary<string, int> zones, PlacementSpec spec)
    {
        var parts = new List<string>();
        if (zones.Count == 0)
        {
            parts.Add(desired == 0 ? "0 replicas desired and no available host" : $"{desired} replicas desired but no available host: none placed");
        }
        else
        {
            var spread = string.Join(", ", zones.Select(z => $"{z.Key}={z.Value}"));
            parts.Add($"{desired} replicas over {zones.Count} available zone{(zones.Count == 1 ? "" : "s")} ({spread}), max skew {spec.MaxSkew}");
            var moves = hosts.Where(h => h.Available && h.Change != 0).Select(h => $"{(h.Change > 0 ? "+" : "")}{h.Change} on {h.Host}").ToList();
            parts.Add(moves.Count == 0 ? "no change" : string.Join(", ", moves));
        }

        var left = hosts.Where(h => !h.Available && h.Current > 0).Select(h => $"{h.Host} ({h.Current})").ToList();
        if (left.Count > 0)
        {
            parts.Add($"unavailable, left untouched and not counted: {string.Join(", ", left)}");
        }

        return string.Join("; ", parts);
    }
}

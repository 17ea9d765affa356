using System.Collections.Immutable;

namespace Bollard.Scaler.Placement;

/// <summary>
/// Where a service's replicas should be: a target count per host. Targets, not actions: the applier starts the
/// replicas of the hosts below target first, and stops the surplus of the hosts above target only once the new ones
/// pass their health check, so a rebalance never lowers the serving count (AWS's "launch before terminate").
/// </summary>
/// <param name="Hosts">Every host with its current and target counts, in host-name order; unavailable hosts keep
/// their current count as target and are flagged.</param>
/// <param name="Zones">The target total per zone, over available hosts only (the desired count is placed on them).</param>
/// <param name="Reason">What the plan does and why, with the numbers.</param>
public sealed record PlacementPlan(ImmutableArray<HostTarget> Hosts, ImmutableSortedDictionary<string, int> Zones, string Reason)
{
    /// <summary>Replicas to start on available hosts.</summary>
    public int Starts => Hosts.Where(h => h.Available).Sum(h => Math.Max(0, h.Change));

    /// <summary>Replicas to stop on available hosts (after the starts are healthy).</summary>
    public int Stops => Hosts.Where(h => h.Available).Sum(h => Math.Max(0, -h.Change));

    /// <summary>True when nothing needs to start or stop.</summary>
    public bool IsSteady => Starts == 0 && Stops == 0;

    /// <summary>The target of a host; 0 for a host the plan does not know.</summary>
    public int TargetOf(string host) => Hosts.FirstOrDefault(h => h.Host == host)?.Target ?? 0;

    public bool Equals(PlacementPlan? other) =>
        other is not null
        && Reason == other.Reason
        && Hosts.SequenceEqual(other.Hosts)
        && Zones.SequenceEqual(other.Zones);

    public override int GetHashCode() => HashCode.Combine(Reason, Hosts.Length, Zones.Count);
}

/// <summary>One host's part of a plan.</summary>
/// <param name="Zone">The host's zone; empty for a host holding replicas that is not in the host list.</param>
public sealed record HostTarget(string Host, string Zone, int Current, int Target, bool Available)
{
    public int Change => Target - Current;
}

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// Envoy's zone-aware rule (arch_overview/upstream/load_balancing/zone_aware), with one assumption: balancers are
/// spread evenly over the zones that hold the version's replicas, so each zone's balancers send 1/Z of the traffic.
/// <list type="bullet">
/// <item>The local zone keeps all of its traffic while it holds at least its share of the replicas
/// (local/total &gt;= threshold x 1/Z); below that, it keeps the fraction local/(threshold x total/Z).</item>
/// <item>The rest spills over the other zones in proportion to their residual capacity: what they hold beyond
/// their own share (count - total/Z), so that every replica ends up with about the same request rate.</item>
/// </list>
/// Pure integer math on replica counts, computed when a pick plan is built, never per request.
/// </summary>
internal static class ZoneSplit
{
    /// <summary>Shares are expressed in millionths.</summary>
    public const int Scale = 1_000_000;

    /// <summary>The share of picks kept in the local zone, in millionths; 0 when it has no replica.</summary>
    /// <param name="counts">Replicas per zone (zones with none may be listed).</param>
    /// <param name="local">Index of the local zone in <paramref name="counts"/>; negative when absent.</param>
    /// <param name="threshold">The share of its fair capacity the local zone needs to keep all its traffic, (0, 1].</param>
    public static int LocalShare(ReadOnlySpan<int> counts, int local, double threshold)
    {
        if (local < 0 || counts[local] == 0)
        {
            return 0;
        }

        var (total, zones) = Totals(counts);

        // local / total >= threshold / zones, rearranged to stay in integers until the last step.
        var share = (double)counts[local] * zones / (threshold * total);
        return share >= 1 ? Scale : (int)(share * Scale);
    }

    /// <summary>
    /// The weight of each non-local zone for spilled picks: its replicas beyond its fair share (scaled by the number
    /// of zones to stay integral). The local zone weighs 0. When no zone has a surplus (only possible with a
    /// threshold below 1), the other zones weigh their replica counts.
    /// </summary>
    public static int[] SpillWeights(ReadOnlySpan<int> counts, int local)
    {
        var (total, zones) = Totals(counts);
        var weights = new int[counts.Length];
        var any = false;
        for (var z = 0; z < counts.Length; z++)
        {
            if (z != local)
            {
                weights[z] = Math.Max(0, (counts[z] * zones) - total);
                any |= weights[z] > 0;
            }
        }

        if (!any)
        {
            for (var z = 0; z < counts.Length; z++)
            {
                weights[z] = z == local ? 0 : counts[z];
            }
        }

        return weights;
    }

    private static (int Total, int Zones) Totals(ReadOnlySpan<int> counts)
    {
        int total = 0, zones = 0;
        foreach (var count in counts)
        {
            total += count;
            zones += count > 0 ? 1 : 0;
        }

        return (total, zones);
    }
}

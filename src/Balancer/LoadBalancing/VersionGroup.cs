using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The available replicas of one version, with the zone step precomputed: the local zone's candidates and share,
/// and the other zones with their spill-over weights. Immutable once built (see <see cref="ZoneSplit"/>).
/// </summary>
internal sealed class VersionGroup
{
    private readonly Candidates? _local;
    private readonly int _localShare;
    private readonly Candidates[] _others;
    private readonly int[] _othersCumulative;

    private VersionGroup(string version, int perMille, Candidates all, Candidates? local, int localShare, Candidates[] others, int[] othersCumulative)
    {
        Version = version;
        PerMille = perMille;
        All = all;
        _local = local;
        _localShare = localShare;
        _others = others;
        _othersCumulative = othersCumulative;
        StickyCookie = VersionCookie.SetCookieFor(version);
    }

    public string Version { get; }

    /// <summary>Its weight, per-mille; 0 when the service has no weights or the version has none.</summary>
    public int PerMille { get; }

    public Candidates All { get; }

    /// <summary>The Set-Cookie value that keeps a client on this version; null when the name cannot be a cookie value.</summary>
    public string? StickyCookie { get; }

    /// <param name="version">The version ("" for the unsplit group of a service without weights).</param>
    /// <param name="perMille">Its weight.</param>
    /// <param name="members">Its available replicas with their zone and first-seen ticks.</param>
    /// <param name="settings">Zone and slow-start settings.</param>
    public static VersionGroup Build(string version, int perMille, IReadOnlyList<(DestinationState Destination, string Zone, long Since)> members, PickSettings settings)
    {
        var all = ToCandidates(members, settings);
        if (settings.ZoneMode == ZoneMode.Spread || settings.Zone.Length == 0)
        {
            return new VersionGroup(version, perMille, all, null, 0, [], []);
        }

        var zones = members.GroupBy(m => m.Zone, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var counts = zones.Select(z => z.Count()).ToArray();
        var local = Array.FindIndex(zones, z => z.Key == settings.Zone);
        var share = ZoneSplit.LocalShare(counts, local, settings.ZoneCapacityThreshold);
        if (share == 0)
        {
            // No local replica: Envoy's rule does not apply, every replica of the version is a candidate.
            return new VersionGroup(version, perMille, all, null, 0, [], []);
        }

        var spill = ZoneSplit.SpillWeights(counts, local);
        var others = new List<Candidates>();
        var cumulative = new List<int>();
        var sum = 0;
        for (var z = 0; z < zones.Length; z++)
        {
            if (spill[z] > 0)
            {
                sum += spill[z];
                others.Add(ToCandidates([.. zones[z]], settings));
                cumulative.Add(sum);
            }
        }

        return new VersionGroup(version, perMille, all, ToCandidates([.. zones[local]], settings), share, [.. others], [.. cumulative]);
    }

    /// <summary>The zone step: the local zone while it has capacity, otherwise a spill-over zone by residual capacity.</summary>
    public Candidates ChooseZone(IRandomSource random)
    {
        if (_local is null)
        {
            return All;
        }

        if (_localShare >= ZoneSplit.Scale || _others.Length == 0 || random.NextInt32(ZoneSplit.Scale) < _localShare)
        {
            return _local;
        }

        var draw = random.NextInt32(_othersCumulative[^1]);
        var i = 0;
        while (_othersCumulative[i] <= draw)
        {
            i++;
        }

        return _others[i];
    }

    private static Candidates ToCandidates(IReadOnlyList<(DestinationState Destination, string Zone, long Since)> members, PickSettings settings) =>
        new([.. members.Select(m => m.Destination)], [.. members.Select(m => m.Since)], settings.SlowStartWindowTicks);
}

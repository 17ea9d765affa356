using System.Globalization;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Weights;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// Everything a pick needs for one cluster and one list of available destinations, computed once when either
/// changes (a new config, a health change) and then only read: the version groups, the cumulative weights of the
/// versions that get weighted traffic, and each group's zone tables.
/// </summary>
internal sealed class PickPlan
{
    private readonly VersionGroup[] _versions;
    private readonly VersionGroup[] _weighted;
    private readonly int[] _cumulative;
    private readonly IReadOnlyList<DestinationState> _source;
    private readonly DestinationModel?[] _models;

    private PickPlan(ClusterModel? model, PickSettings settings, IReadOnlyList<DestinationState> source, VersionGroup[] versions, VersionGroup[] weighted, VersionGroup unsplit)
    {
        Model = model;
        Settings = settings;
        _source = source;
        _models = [.. source.Select(d => d.Model)];
        _versions = versions;
        _weighted = weighted;
        Unsplit = unsplit;
        var sum = 0;
        _cumulative = [.. weighted.Select(g => sum += g.PerMille)];
    }

    public ClusterModel? Model { get; }

    /// <summary>The balancer's picking settings with this cluster's own slow-start window, when its route sets one.</summary>
    public PickSettings Settings { get; }

    /// <summary>True when versions get traffic by weight; false splits by replica count.</summary>
    public bool IsWeighted => _weighted.Length > 0;

    /// <summary>More than one version: pins are worth looking for.</summary>
    public bool HasChoice => _versions.Length > 1 || IsWeighted;

    /// <summary>All available replicas as one group: the service has no weights (or none that can be served).</summary>
    public VersionGroup Unsplit { get; }

    public static PickPlan Build(ClusterModel? model, IReadOnlyList<DestinationState> available, PickSettings settings)
    {
        var weights = WeightsOf(model);
        if (SlowStartWindowOf(model) is { } window)
        {
            settings = settings with { SlowStartWindowTicks = window };
        }

        var members = new List<(DestinationState Destination, string Zone, long Since)>(available.Count);
        var versions = new List<string>(available.Count);
        foreach (var destination in available)
        {
            var metadata = destination.Model?.Config.Metadata;
            members.Add((destination, Read(metadata, BalancerMetadata.Zone), SinceOf(metadata)));
            versions.Add(Read(metadata, BalancerMetadata.Version));
        }

        var groups = members.Select((m, i) => (Member: m, Version: versions[i]))
            .GroupBy(x => x.Version, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => VersionGroup.Build(g.Key, weights?.Of(g.Key) ?? 0, [.. g.Select(x => x.Member)], settings))
            .ToArray();

        // Weights renormalise over the versions that can serve: a weighted version without a healthy replica gives
        // its share to the others. When none of them can serve, the service is served unsplit rather than failed.
        VersionGroup[] weighted = [.. groups.Where(g => g.PerMille > 0)];
        return new PickPlan(model, settings, available, groups, weighted, VersionGroup.Build(string.Empty, 0, members, settings));
    }

    /// <summary>
    /// Whether this plan still describes <paramref name="available"/>. YARP hands over the same list instance until
    /// availability or a destination's config changes (then a new list); a middleware that filters per request hands
    /// over equal copies, which must not rebuild the plan each time. A destination whose config changed (zone,
    /// version, first-seen) has a new model.
    /// </summary>
    public bool IsFor(IReadOnlyList<DestinationState> available)
    {
        if (ReferenceEquals(_source, available))
        {
            return true;
        }

        if (_models.Length != available.Count)
        {
            return false;
        }

        for (var i = 0; i < _models.Length; i++)
        {
            var destination = available[i];
            if (!ReferenceEquals(_source[i], destination) || !ReferenceEquals(_models[i], destination.Model))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A version by its weight, uniform over [0, total of the servable weights).</summary>
    public VersionGroup PickWeighted(IRandomSource random)
    {
        var draw = random.NextInt32(_cumulative[^1]);
        var i = 0;
        while (_cumulative[i] <= draw)
        {
            i++;
        }

        return _weighted[i];
    }

    /// <summary>The group of <paramref name="version"/> if it has an available replica (any weight).</summary>
    public VersionGroup? Find(ReadOnlySpan<char> version)
    {
        foreach (var group in _versions)
        {
            if (version.SequenceEqual(group.Version))
            {
                return group;
            }
        }

        return null;
    }

    private static VersionWeights? WeightsOf(ClusterModel? model)
    {
        if (model?.Config.Metadata?.TryGetValue(BalancerMetadata.Weights, out var json) != true || json is null)
        {
            return null;
        }

        try
        {
            return VersionWeightsJson.Parse(json);
        }
        catch (FormatException)
        {
            // Written by the snapshot builder from validated weights; unreadable means not ours: split by replicas.
            return null;
        }
    }

    private static string Read(IReadOnlyDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : string.Empty;

    private static long? SlowStartWindowOf(ClusterModel? model) =>
        long.TryParse(Read(model?.Config.Metadata, BalancerMetadata.SlowStartWindow), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;

    private static long SinceOf(IReadOnlyDictionary<string, string>? metadata) =>
        long.TryParse(Read(metadata, BalancerMetadata.Since), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0;
}

using System.Collections.Immutable;
using Bollard.Balancer.Weights;

namespace Bollard.Balancer.Routing;

/// <summary>
/// How one service is reached (normalised host and path prefix) and where its healthy replicas are.
/// Destinations are ordered by instance id, so equal sets compare equal whatever order the catalog used.
/// </summary>
internal sealed class ServiceRouting : IEquatable<ServiceRouting>
{
    public ServiceRouting(
        string service,
        string? host,
        string? pathPrefix,
        IEnumerable<RoutingDestination> destinations,
        VersionWeights? weights = null,
        RouteSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        Service = service;
        Host = host;
        PathPrefix = pathPrefix;
        Destinations = [.. destinations.OrderBy(d => d.InstanceId, StringComparer.Ordinal)];
        Weights = weights;
        Settings = settings ?? RouteSettings.Default;
    }

    public string Service { get; }

    /// <summary>Lower-case host name without port; null matches any host.</summary>
    public string? Host { get; }

    /// <summary>Path prefix without a trailing slash (never "/"); null matches any path.</summary>
    public string? PathPrefix { get; }

    public ImmutableArray<RoutingDestination> Destinations { get; }

    /// <summary>The traffic split between versions; null splits by replica count (no weights set).</summary>
    public VersionWeights? Weights { get; }

    /// <summary>
    /// The route's timeout, health path and concurrency limit. Part of the snapshot so that changing one of them
    /// alone republishes YARP's config, which is where they take effect.
    /// </summary>
    public RouteSettings Settings { get; }

    public bool Equals(ServiceRouting? other) =>
        other is not null
        && Service == other.Service
        && Host == other.Host
        && PathPrefix == other.PathPrefix
        && Destinations.SequenceEqual(other.Destinations)
        && Equals(Weights, other.Weights)
        && Settings.Equals(other.Settings);

    public override bool Equals(object? obj) => Equals(obj as ServiceRouting);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Service);
        hash.Add(Host);
        hash.Add(PathPrefix);
        hash.Add(Weights);
        hash.Add(Settings);
        foreach (var destination in Destinations)
        {
            hash.Add(destination);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"{Service} ({Host ?? "*"}{PathPrefix ?? "/"}): {Destinations.Length} destinations";
}

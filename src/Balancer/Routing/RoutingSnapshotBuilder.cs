using System.Globalization;
using Bollard.Balancer.Weights;
using Bollard.Discovery;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Pure functions from what the operator asked (routes) and what the catalog reports (the latest healthy snapshot
/// per service) to a <see cref="RoutingSnapshot"/>, and from there to YARP's configuration (the other part of
/// this class). No I/O and no clock: the watcher calls them and publishes the result.
/// </summary>
internal static partial class RoutingSnapshotBuilder
{
    private static readonly IReadOnlyDictionary<string, VersionWeights> NoWeights = new Dictionary<string, VersionWeights>();

    /// <summary>Builds the snapshot from routes and catalog state alone: no weights, no earlier snapshot.</summary>
    /// <exception cref="ArgumentException">See the full overload.</exception>
    public static RoutingSnapshot Build(
        IReadOnlyList<ServiceRoute> routes,
        IReadOnlyDictionary<string, ServiceSnapshot> latest) =>
        Build(routes, latest, NoWeights, RoutingSnapshot.Empty, DateTimeOffset.UnixEpoch);

    /// <summary>
    /// Builds the snapshot. A routed service the catalog has not reported yet keeps the destinations it had in
    /// <paramref name="previous"/> (e.g. the snapshot loaded from disk at start: static stability), or gets none (it
    /// answers 503, not 404: it exists but nothing healthy is known). Snapshots of services without a route are ignored.
    /// </summary>
    /// <param name="routes">What the operator asked; null while the route source has had no answer yet, in which case
    /// the routes of <paramref name="previous"/> stay (see <see cref="RoutesOf"/>).</param>
    /// <param name="latest">The latest healthy snapshot per service.</param>
    /// <param name="weights">Version weights per service; null while the weight source has no answer yet, in which
    /// case each service keeps the weights it had in <paramref name="previous"/>.</param>
    /// <param name="previous">The snapshot being replaced: first-seen times and fallbacks come from it.</param>
    /// <param name="now">First-seen time of a replica that joins a service which already had replicas.</param>
    /// <exception cref="ArgumentException">
    /// Two routes name the same service, or a path prefix does not start with '/'. The caller keeps the last good
    /// snapshot: one bad route must not take down routing for every other service.
    /// </exception>
    public static RoutingSnapshot Build(
        IReadOnlyList<ServiceRoute>? routes,
        IReadOnlyDictionary<string, ServiceSnapshot> latest,
        IReadOnlyDictionary<string, VersionWeights>? weights,
        RoutingSnapshot previous,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(previous);
        routes ??= RoutesOf(previous);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var services = new List<ServiceRouting>(routes.Count);
        foreach (var route in routes)
        {
            if (!seen.Add(route.Service))
            {
                throw new ArgumentException($"Service '{route.Service}' has more than one route.", nameof(routes));
            }

            var before = previous.Find(route.Service);
            var destinations = latest.TryGetValue(route.Service, out var snapshot)
                ? WithFirstSeen(
                    snapshot.Instances.Where(IsRoutable).DistinctBy(i => i.Id, StringComparer.OrdinalIgnoreCase).Select(ToDestination),
                    before,
                    now)
                : before?.Destinations ?? [];
            services.Add(new ServiceRouting(
                route.Service,
                NormalizeHost(route.Host),
                NormalizePathPrefix(route.Service, route.PathPrefix),
                destinations,
                weights is null ? before?.Weights : weights.GetValueOrDefault(route.Service),
                RouteSettings.Of(route)));
        }

        return new RoutingSnapshot(services);
    }

    /// <summary>
    /// The routes a snapshot serves, with their settings: what the balancer keeps routing while its route source has no
    /// answer (a snapshot loaded from disk at start, with the state store unreadable). Building from them gives the same
    /// routes back (normalising a normalised host or prefix changes nothing).
    /// </summary>
    internal static IReadOnlyList<ServiceRoute> RoutesOf(RoutingSnapshot snapshot) =>
        [.. snapshot.Services.Select(s => new ServiceRoute(s.Service, s.Host, s.PathPrefix)
        {
            HealthPath = s.Settings.HealthPath,
            Timeout = s.Settings.Timeout,
            MaxConcurrentRequests = s.Settings.MaxConcurrentRequests,
            SlowStartWindow = s.Settings.SlowStartWindow,
            Protocol = s.Settings.Protocol,
            HttpsRedirect = s.Settings.HttpsRedirect,
            RateLimit = s.Settings.RateLimit,
        })];

    /// <summary>Host names compare case-insensitively; null or blank means any host.</summary>
    internal static string? NormalizeHost(string? host) =>
        string.IsNullOrWhiteSpace(host) ? null : host.Trim().ToLowerInvariant();

    /// <summary>"/api/" and "/api" are the same prefix; "/" or blank means any path.</summary>
    internal static string? NormalizePathPrefix(string service, string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return null;
        }

        var trimmed = prefix.Trim();
        if (trimmed[0] != '/')
        {
            throw new ArgumentException(
                $"The path prefix '{prefix}' of service '{service}' must start with '/'.", nameof(prefix));
        }

        trimmed = trimmed.TrimEnd('/');
        return trimmed.Length == 0 ? null : trimmed;
    }

    // A catalog entry without an address or with an impossible port cannot be connected to; skipping it keeps the
    // service's other replicas routable instead of failing the whole snapshot. Ids are de-duplicated
    // case-insensitively because YARP keys destinations that way.
    private static bool IsRoutable(ServiceInstance instance) =>
        !string.IsNullOrWhiteSpace(instance.Address) && instance.Port is > 0 and <= 65535;

    private static RoutingDestination ToDestination(ServiceInstance instance) =>
        new(instance.Id, AddressOf(instance.Address, instance.Port), instance.Zone, instance.Version);

    /// <summary>
    /// Slow start needs to know when each replica joined. One seen before keeps its time; a new one joining a service
    /// that already had replicas joins at <paramref name="now"/>; the replicas of a service that had none (first
    /// catalog answer after start, or a recovery from zero) count as warm: ramping them against each other would
    /// only slow everything down.
    /// </summary>
    private static IEnumerable<RoutingDestination> WithFirstSeen(IEnumerable<RoutingDestination> destinations, ServiceRouting? before, DateTimeOffset now)
    {
        if (before is null || before.Destinations.IsEmpty)
        {
            return destinations;
        }

        var known = before.Destinations.ToDictionary(d => d.InstanceId, d => d.Since, StringComparer.OrdinalIgnoreCase);
        return destinations.Select(d => d with { Since = known.TryGetValue(d.InstanceId, out var since) ? since : now });
    }

    internal static string AddressOf(string address, int port)
    {
        // IPv6 literals need brackets in a URI authority.
        var host = address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]" : address;
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
    }
}

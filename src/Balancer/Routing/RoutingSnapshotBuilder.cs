using System.Globalization;
using Bollard.Discovery;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Pure functions from what the operator asked (routes) and what the catalog reports (the latest healthy snapshot
/// per service) to a <see cref="RoutingSnapshot"/>, and from there to YARP's configuration (the other part of
/// this class). No I/O and no clock: the watcher calls them and publishes the result.
/// </summary>
internal static partial class RoutingSnapshotBuilder
{
    /// <summary>
    /// Builds the snapshot. A routed service the catalog has not reported yet gets no destinations (it answers 503,
    /// not 404: it exists but nothing healthy is known). Snapshots of services without a route are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Two routes name the same service, or a path prefix does not start with '/'. The caller keeps the last good
    /// snapshot: one bad route must not take down routing for every other service.
    /// </exception>
    public static RoutingSnapshot Build(
        IReadOnlyList<ServiceRoute> routes,
        IReadOnlyDictionary<string, ServiceSnapshot> latest)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(latest);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var services = new List<ServiceRouting>(routes.Count);
        foreach (var route in routes)
        {
            if (!seen.Add(route.Service))
            {
                throw new ArgumentException($"Service '{route.Service}' has more than one route.", nameof(routes));
            }

            var instances = latest.TryGetValue(route.Service, out var snapshot) ? snapshot.Instances : [];
            services.Add(new ServiceRouting(
                route.Service,
                NormalizeHost(route.Host),
                NormalizePathPrefix(route.Service, route.PathPrefix),
                instances.Where(IsRoutable).DistinctBy(i => i.Id, StringComparer.OrdinalIgnoreCase).Select(ToDestination)));
        }

        return new RoutingSnapshot(services);
    }

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

    internal static string AddressOf(string address, int port)
    {
        // IPv6 literals need brackets in a URI authority.
        var host = address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]" : address;
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
    }
}

namespace Bollard.Balancer.Routing;

/// <summary>
/// Metadata keys the routing snapshot puts on YARP routes, clusters and destinations, so that middleware and
/// load-balancing policies can read the service, zone and version without a second lookup.
/// </summary>
internal static class BalancerMetadata
{
    /// <summary>On routes and clusters: the catalog service name.</summary>
    public const string Service = "bollard.service";

    /// <summary>On destinations: the replica's zone (empty when unknown).</summary>
    public const string Zone = "bollard.zone";

    /// <summary>On destinations: the replica's version (empty when unknown).</summary>
    public const string Version = "bollard.version";

    /// <summary>On destinations: when the replica was first seen healthy, as UTC ticks (slow start).</summary>
    public const string Since = "bollard.since";

    /// <summary>On clusters, when the service has weights: the version split as JSON, e.g. {"v1":950,"v2":50}.</summary>
    public const string Weights = "bollard.weights";

    /// <summary>On clusters, when the route sets one: the path the active health checks probe.</summary>
    public const string HealthPath = "bollard.healthPath";

    /// <summary>On clusters, when the route sets one: the slow-start window, as ticks (read by the picking policy).</summary>
    public const string SlowStartWindow = "bollard.slowStartWindow";

    /// <summary>On clusters whose replicas speak HTTP/2 or gRPC: "http2" or "grpc" (read by the forwarder's client factory).</summary>
    public const string Protocol = "bollard.protocol";

    /// <summary>On clusters whose route redirects plain HTTP to HTTPS: "true" (read by the request step).</summary>
    public const string HttpsRedirect = "bollard.httpsRedirect";

    /// <summary>On clusters: how many times the balancer's settings changed since start (see <see cref="SettingsRevisionConfigFilter"/>).</summary>
    public const string SettingsRevision = "bollard.settingsRevision";

    /// <summary>Route and cluster ids are derived from the service name only, so they survive destination changes.</summary>
    public static string IdFor(string service) => "svc-" + service;
}

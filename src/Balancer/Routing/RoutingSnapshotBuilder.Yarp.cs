using System.Globalization;
using Bollard.Balancer.LoadBalancing;
using Bollard.Balancer.Weights;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Routing;

internal static partial class RoutingSnapshotBuilder
{
    /// <summary>Catch-all parameters are optional in ASP.NET Core routing: "/api/{**rest}" matches "/api" too.</summary>
    private const string CatchAll = "/{**catch-all}";

    // Orders are computed from the route alone, never from list positions, so adding or removing one service
    // does not change the order of the others. Within a tier, a longer prefix wins (lower order).
    private const int TierSize = 100_000;

    /// <summary>One route per service, most specific first; ids are "svc-&lt;service&gt;".</summary>
    public static IReadOnlyList<RouteConfig> ToRoutes(RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Services.Select(ToRoute).OrderBy(r => r.Order).ThenBy(r => r.RouteId, StringComparer.Ordinal)];
    }

    /// <summary>One cluster per service (same id as its route), destinations keyed by instance id.</summary>
    public static IReadOnlyList<ClusterConfig> ToClusters(RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return [.. snapshot.Services.Select(ToCluster)];
    }

    /// <summary>Host+path before host-only before path-only before catch-all; longer prefixes first.</summary>
    internal static int OrderOf(ServiceRouting routing)
    {
        var tier = (routing.Host, routing.PathPrefix) switch
        {
            (not null, not null) => 0,
            (not null, null) => 1,
            (null, not null) => 2,
            _ => 3,
        };
        var length = Math.Min(routing.PathPrefix?.Length ?? 0, TierSize - 1);
        return (tier * TierSize) + (TierSize - 1 - length);
    }

    /// <summary>The prefix matches itself and everything below it; the path is forwarded unchanged.</summary>
    internal static string PathTemplateOf(string? pathPrefix) =>
        pathPrefix is null ? CatchAll : EscapeTemplate(pathPrefix) + CatchAll;

    private static RouteConfig ToRoute(ServiceRouting routing)
    {
        var id = BalancerMetadata.IdFor(routing.Service);
        return new RouteConfig
        {
            RouteId = id,
            ClusterId = id,
            Order = OrderOf(routing),
            Match = new RouteMatch
            {
                Hosts = routing.Host is null ? null : [routing.Host],
                // YARP needs a path or a host; a host-only route leaves the path open.
                Path = routing.Host is not null && routing.PathPrefix is null ? null : PathTemplateOf(routing.PathPrefix),
            },
            Metadata = new Dictionary<string, string> { [BalancerMetadata.Service] = routing.Service },
            // ASP.NET Core's rate limiting runs only for routes naming a policy: a route without a limit pays nothing.
            RateLimiterPolicy = routing.Settings.RateLimit is null ? null : RateLimiting.RouteRateLimitPolicy.Name,
        };
    }

    private static ClusterConfig ToCluster(ServiceRouting routing) => new()
    {
        ClusterId = BalancerMetadata.IdFor(routing.Service),
        LoadBalancingPolicy = WeightedZoneAwareLoadBalancingPolicy.PolicyName,
        Destinations = routing.Destinations.ToDictionary(
            d => d.InstanceId,
            d => new DestinationConfig
            {
                Address = d.Address,
                Metadata = new Dictionary<string, string>
                {
                    [BalancerMetadata.Zone] = d.Zone,
                    [BalancerMetadata.Version] = d.Version,
                    [BalancerMetadata.Since] = d.Since.UtcTicks.ToString(CultureInfo.InvariantCulture),
                },
            },
            StringComparer.OrdinalIgnoreCase),
        Metadata = ClusterMetadata(routing),
        // Without a route timeout, RequestTimeoutConfigFilter puts the balancer's default here.
        HttpRequest = RequestConfigOf(routing.Settings),
    };

    /// <summary>
    /// The route's timeout, and for HTTP/2 and gRPC replicas HTTP/2 exactly: over plain HTTP that is h2c with prior
    /// knowledge (there is no ALPN to negotiate it, and "2.0 or lower", YARP's default, is HTTP/1.1 there).
    /// </summary>
    private static ForwarderRequestConfig? RequestConfigOf(RouteSettings settings)
    {
        if (settings.Timeout is null && settings.Protocol == ReplicaProtocol.Http1)
        {
            return null;
        }

        var config = new ForwarderRequestConfig { ActivityTimeout = settings.Timeout };
        return settings.Protocol == ReplicaProtocol.Http1
            ? config
            : config with { Version = System.Net.HttpVersion.Version20, VersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionExact };
    }

    private static Dictionary<string, string> ClusterMetadata(ServiceRouting routing)
    {
        var metadata = new Dictionary<string, string> { [BalancerMetadata.Service] = routing.Service };
        if (routing.Weights is { } weights)
        {
            metadata[BalancerMetadata.Weights] = VersionWeightsJson.Format(weights);
        }

        // Read by HealthCheckConfigFilter, which fills in the balancer's default when there is none.
        if (routing.Settings.HealthPath is { } healthPath)
        {
            metadata[BalancerMetadata.HealthPath] = healthPath;
        }

        if (routing.Settings.Protocol != ReplicaProtocol.Http1)
        {
            metadata[BalancerMetadata.Protocol] = routing.Settings.Protocol == ReplicaProtocol.Grpc ? "grpc" : "http2";
        }

        if (routing.Settings.HttpsRedirect)
        {
            metadata[BalancerMetadata.HttpsRedirect] = "true";
        }

        if (routing.Settings.SlowStartWindow is { } slowStart)
        {
            metadata[BalancerMetadata.SlowStartWindow] = slowStart.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    // A prefix is literal text; braces would otherwise start a route parameter.
    private static string EscapeTemplate(string prefix) =>
        prefix.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}

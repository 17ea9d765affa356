using System.Text.Json.Serialization;

namespace Bollard.Balancer.Routing;

// The on-disk shape of a routing snapshot (static stability across restarts). Versioned so that a future layout
// can refuse an old file instead of misreading it. Fields added later are optional (a file written before them
// reads as "the balancer's default"), so they do not need a new format. Every field of ServiceRouting and
// RoutingDestination that affects routing belongs here; RoutingSnapshotFileTests checks that none is left out.

internal sealed record RoutingSnapshotDto(int Format, IReadOnlyList<ServiceRoutingDto> Services);

internal sealed record ServiceRoutingDto(
    string Service,
    string? Host,
    string? PathPrefix,
    IReadOnlyDictionary<string, int>? Weights,
    TimeSpan? Timeout,
    string? HealthPath,
    int? MaxConcurrentRequests,
    IReadOnlyList<RoutingDestinationDto> Destinations,
    TimeSpan? SlowStartWindow = null,
    ReplicaProtocol Protocol = ReplicaProtocol.Http1,
    bool HttpsRedirect = false,
    RouteRateLimit? RateLimit = null);

internal sealed record RoutingDestinationDto(string Id, string Address, string Zone, string Version, DateTimeOffset Since);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RoutingSnapshotDto))]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class BalancerJsonContext : JsonSerializerContext;

using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// What one agent's balancer sees of each service with traffic, published for the controller every
/// <see cref="ClusterOptions.TrafficInterval"/>: with a balancer on every host, each sees only its share, and the
/// autoscaler's request metrics must cover them all. Services without traffic are left out.
/// </summary>
/// <param name="Agent">The publishing agent (the controller leaves its own out: it reads its balancer directly).</param>
/// <param name="Sequence">Counts the agent's publications; a report that stops moving is old load, not load now.</param>
/// <param name="Services">By service name.</param>
public sealed record TrafficReport(string Agent, long Sequence, IReadOnlyDictionary<string, ServiceTraffic> Services)
{
    /// <summary>
    /// The replicas (instance ids) the balancer had a request in flight to when it published: the controller stops a
    /// removed replica only once no balancer's report, published after the replica left the catalog, lists it.
    /// </summary>
    public IReadOnlyList<string> Busy { get; init; } = [];
}

/// <summary>One balancer's view of one service over the last seconds (as the autoscaler reads its own).</summary>
/// <param name="RequestsPerSecond">Requests per second.</param>
/// <param name="InFlight">Requests in flight now.</param>
/// <param name="P95LatencyMs">95th percentile latency; null without requests.</param>
public sealed record ServiceTraffic(double RequestsPerSecond, double InFlight, double? P95LatencyMs)
{
    /// <summary>
    /// Each version's requests, errors and p99 over <see cref="VersionWindow"/> (the service's analysis interval), for
    /// the controller's canary analysis; versions without requests in it are left out.
    /// </summary>
    public IReadOnlyDictionary<string, TrafficStats>? Versions { get; init; }

    /// <summary>The window <see cref="Versions"/> covers.</summary>
    public TimeSpan? VersionWindow { get; init; }
}

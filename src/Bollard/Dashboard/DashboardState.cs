using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;

namespace Bollard.Dashboard;

/// <summary>
/// Everything the dashboard shows at one moment: what a page receives whole when it connects (the <c>snapshot</c>
/// event) and what the feed compares with the previous moment to send only what changed.
/// </summary>
/// <param name="At">When it was read.</param>
/// <param name="Services">Every desired service, as the admin API's <c>GET /v1/services</c> shows it.</param>
/// <param name="Replicas">Every managed container the agent sees, with its state.</param>
/// <param name="Hosts">The hosts the agent reconciles (its own engines, or the cluster's as the controller sees them).</param>
/// <param name="Decisions">The most recent decisions, oldest first.</param>
/// <param name="Traffic">Per service, one point per second over the last minute, oldest first.</param>
internal sealed record DashboardState(
    DateTimeOffset At,
    IReadOnlyList<ServiceStatus> Services,
    IReadOnlyList<ReplicaView> Replicas,
    IReadOnlyList<HostView> Hosts,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyDictionary<string, IReadOnlyList<TrafficPoint>> Traffic);

/// <summary>One replica on the dashboard.</summary>
/// <param name="Id">The container's short id (the catalog's instance id).</param>
/// <param name="Service">Its service.</param>
/// <param name="Version">Its version.</param>
/// <param name="Host">The host it runs on.</param>
/// <param name="Zone">That host's zone.</param>
/// <param name="State"><c>starting</c> (not passed its first check yet), <c>ready</c> (in the catalog, healthy),
/// <c>unhealthy</c> (was registered, now failing its checks), <c>draining</c> (being removed), or <c>stopped</c>.</param>
/// <param name="Created">When the engine created it.</param>
internal sealed record ReplicaView(string Id, string Service, string Version, string Host, string Zone, string State, DateTimeOffset Created);

/// <summary>One host on the dashboard.</summary>
/// <param name="Name">The host.</param>
/// <param name="Zone">Its zone.</param>
/// <param name="Reachable">Whether its engine answered the last pass.</param>
/// <param name="Why">What went wrong when it did not.</param>
/// <param name="Containers">Managed containers on it.</param>
internal sealed record HostView(string Name, string Zone, bool Reachable, string? Why, int Containers);

/// <summary>One second of a service's traffic through this agent's balancer.</summary>
/// <param name="At">The second, as Unix milliseconds.</param>
/// <param name="Rps">Requests finished in that second.</param>
/// <param name="P95Ms">95th percentile latency, in milliseconds (0 without requests).</param>
/// <param name="ErrorRatio">Errors divided by requests (0 without requests).</param>
/// <param name="InFlight">Requests being forwarded at the moment it was read.</param>
/// <param name="Versions">The same per version that served requests, ordered by version.</param>
internal sealed record TrafficPoint(long At, double Rps, double P95Ms, double ErrorRatio, int InFlight, IReadOnlyList<VersionTrafficPoint> Versions);

/// <summary>One second of one version's traffic.</summary>
internal sealed record VersionTrafficPoint(string Version, double Rps, double P95Ms, double ErrorRatio, int InFlight);

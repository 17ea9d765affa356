namespace Bollard.Balancer.Routing;

/// <summary>
/// How requests reach one service: by host name and/or path prefix (at least one). Comes from the service specs.
/// </summary>
/// <param name="Service">The service name (the catalog's service name).</param>
/// <param name="Host">Match requests for this host name (no port); null matches any host.</param>
/// <param name="PathPrefix">Match requests whose path starts with this prefix; null matches any path.</param>
public sealed record ServiceRoute(string Service, string? Host, string? PathPrefix)
{
    /// <summary>Path the balancer's active health checks probe; null uses <c>BalancerOptions.ActiveHealthChecks.Path</c>.</summary>
    public string? HealthPath { get; init; }

    /// <summary>Attempt timeout for this service; null uses <c>BalancerOptions.Retries.RequestTimeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Concurrency limit for this service; null uses <c>BalancerOptions.Shedding.MaxConcurrentRequests</c>.</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>How long a new replica of this service ramps up (zero: no ramp); null uses <c>BalancerOptions.SlowStartWindow</c>.</summary>
    public TimeSpan? SlowStartWindow { get; init; }

    /// <summary>How the balancer speaks to the replicas (HTTP/1.1 by default).</summary>
    public ReplicaProtocol Protocol { get; init; }

    /// <summary>A request arriving over plain HTTP is answered with a redirect to HTTPS instead of being proxied.</summary>
    public bool HttpsRedirect { get; init; }

    /// <summary>Requests per second per client (ASP.NET Core's rate limiting, 429 beyond); null: no limit.</summary>
    public RouteRateLimit? RateLimit { get; init; }
}

/// <summary>A token bucket per client: <paramref name="Burst"/> requests, refilled by <paramref name="PerSecond"/> a second.</summary>
/// <param name="Header">The header whose value tells clients apart; null: the client's address.</param>
public sealed record RouteRateLimit(int PerSecond, int Burst, string? Header = null);

namespace Bollard.Balancer.Routing;

/// <summary>
/// A route's per-service settings that shape how the balancer treats the service's requests; null leaves the
/// balancer's default. Part of <see cref="ServiceRouting"/> (and so of the snapshot's equality and of the file on
/// disk): a change to any of them alone republishes YARP's config, which is where they take effect.
/// </summary>
/// <param name="Timeout">Attempt timeout (YARP's ActivityTimeout); default <c>BalancerOptions.Retries.RequestTimeout</c>.</param>
/// <param name="HealthPath">Path the active health checks probe; default <c>BalancerOptions.ActiveHealthChecks.Path</c>.</param>
/// <param name="MaxConcurrentRequests">Concurrency limit; default <c>BalancerOptions.Shedding.MaxConcurrentRequests</c>.</param>
/// <param name="SlowStartWindow">How long a new replica ramps up (zero: no ramp); default <c>BalancerOptions.SlowStartWindow</c>.</param>
/// <param name="Protocol">How the balancer speaks to the replicas; default HTTP/1.1.</param>
/// <param name="HttpsRedirect">Plain HTTP requests are redirected to HTTPS; default not.</param>
/// <param name="RateLimit">Requests per second per client; default none.</param>
internal sealed record RouteSettings(
    TimeSpan? Timeout = null,
    string? HealthPath = null,
    int? MaxConcurrentRequests = null,
    TimeSpan? SlowStartWindow = null,
    ReplicaProtocol Protocol = ReplicaProtocol.Http1,
    bool HttpsRedirect = false,
    RouteRateLimit? RateLimit = null)
{
    public static RouteSettings Default { get; } = new();

    public static RouteSettings Of(ServiceRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new(route.Timeout, string.IsNullOrWhiteSpace(route.HealthPath) ? null : route.HealthPath, route.MaxConcurrentRequests, route.SlowStartWindow, route.Protocol, route.HttpsRedirect, route.RateLimit);
    }
}

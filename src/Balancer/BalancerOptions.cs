namespace Bollard.Balancer;

/// <summary>Settings of the balancer (the data plane). Validated when the host starts.</summary>
public sealed class BalancerOptions
{
    public static readonly TimeSpan DefaultRoutingDebounce = TimeSpan.FromMilliseconds(15);
    public static readonly TimeSpan DefaultWatchRetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultPooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After a catalog or route change, wait this long before rebuilding, so that a burst of changes (a rollout
    /// replacing many replicas) becomes one published snapshot. It bounds how late a change reaches routing.
    /// </summary>
    public TimeSpan RoutingDebounce { get; set; } = DefaultRoutingDebounce;

    /// <summary>
    /// How long to wait before re-opening a catalog watch that failed. The service keeps its last known
    /// destinations meanwhile.
    /// </summary>
    public TimeSpan WatchRetryDelay { get; set; } = DefaultWatchRetryDelay;

    /// <summary>How long connecting to a replica may take before the request fails.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>
    /// Connections to replicas are recycled after this long, so that traffic re-spreads over replicas added
    /// since and connections to replaced containers do not live forever.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = DefaultPooledConnectionLifetime;

    /// <summary>An idle pooled connection to a replica is closed after this long.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = DefaultPooledConnectionIdleTimeout;
}

using Bollard.Balancer.Health;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Shedding;

namespace Bollard.Balancer;

/// <summary>Settings of the balancer (the data plane). Validated when the host starts.</summary>
public sealed class BalancerOptions
{
    public const string DefaultCluster = "default";
    public const double DefaultZoneCapacityThreshold = 1.0;
    public const double DefaultSlowStartMinimumWeight = 0.1;
    public const double DefaultSlowStartAggression = 1.0;
    public const double DefaultSlowStartWarmLoadLimit = 2.0;
    public static readonly TimeSpan DefaultSlowStartWindow = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultRoutingDebounce = TimeSpan.FromMilliseconds(15);
    public static readonly TimeSpan DefaultWatchRetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultPooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least time between two routing rebuilds. A change after a quiet spell is rebuilt at once; changes that
    /// follow within this time wait for its end and are rebuilt together, so a burst (a rollout replacing many
    /// replicas) costs one published snapshot per period. It bounds how late a change reaches routing.
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

    /// <summary>The balancer's own HTTP health checks of replicas (see Health/README.md).</summary>
    public ActiveHealthCheckOptions ActiveHealthChecks { get; } = new();

    /// <summary>Passive outlier ejection of replicas failing real requests (see Health/README.md).</summary>
    public OutlierDetectionOptions OutlierDetection { get; } = new();

    /// <summary>Retries on another replica, the retry budget and attempt timeouts (see Retries/README.md).</summary>
    public RetryOptions Retries { get; } = new();

    /// <summary>
    /// Proxies (addresses or networks) whose X-Forwarded-For / Forwarded headers are believed (see ClientAddress/); empty:
    /// the client is always the connection's peer.
    /// </summary>
    public IList<System.Net.IPNetwork> TrustedProxies { get; } = [];

    /// <summary>Access logs, one per listener port that has one (see AccessLogs/README.md); empty: none.</summary>
    public IList<AccessLogs.AccessLogOptions> AccessLogs { get; } = [];

    /// <summary>Per-service concurrency limits (see Shedding/README.md).</summary>
    public LoadSheddingOptions Shedding { get; } = new();

    /// <summary>Cluster name; Consul weights are read from <c>bollard/&lt;Cluster&gt;/weights/&lt;service&gt;</c>.</summary>
    public string Cluster { get; set; } = DefaultCluster;

    /// <summary>The zone this balancer runs in (the agent's zone); empty: no zone preference.</summary>
    public string Zone { get; set; } = string.Empty;

    /// <summary>Prefer replicas in <see cref="Zone"/> (Envoy's zone-aware rule) or spread over all zones.</summary>
    public LoadBalancing.ZoneMode ZoneMode { get; set; } = LoadBalancing.ZoneMode.PreferLocal;

    /// <summary>
    /// The share of its fair capacity (1/zones of a version's replicas) the local zone needs to keep all of its
    /// traffic; below it, traffic spills over in proportion. 1.0 is Envoy's rule; lower keeps more traffic local at
    /// the price of unequal load per replica. Within (0, 1].
    /// </summary>
    public double ZoneCapacityThreshold { get; set; } = DefaultZoneCapacityThreshold;

    /// <summary>How a replica is picked among the candidates: power of two choices (default) or round robin.</summary>
    public LoadBalancing.DestinationPicking Picking { get; set; } = LoadBalancing.DestinationPicking.PowerOfTwoChoices;

    /// <summary>
    /// A replica first seen healthy ramps from <see cref="SlowStartMinimumWeight"/> to full over this; zero disables.
    /// 10 s: long enough for a cold process's first requests (JIT, pools), short enough that replicas the scaler added
    /// carry their share while the load that asked for them is still there.
    /// </summary>
    public TimeSpan SlowStartWindow { get; set; } = DefaultSlowStartWindow;

    /// <summary>The weight of a replica at the start of its slow-start window, within (0, 1] (Envoy's default, 10%).</summary>
    public double SlowStartMinimumWeight { get; set; } = DefaultSlowStartMinimumWeight;

    /// <summary>
    /// Shape of the ramp (Envoy's slow-start aggression): the weight grows as (elapsed / window)^(1 / aggression).
    /// 1 is linear; 2 reaches half of the way after a quarter of the window. Within (0, 10].
    /// </summary>
    public double SlowStartAggression { get; set; } = DefaultSlowStartAggression;

    /// <summary>
    /// While replicas ramp, the warm ones among the same candidates carry at most this many times their fair share:
    /// ramping replicas start above <see cref="SlowStartMinimumWeight"/> when they outnumber the warm ones (a scale-out
    /// from 1 to 6 starts them at 40%, not 10%, relieving the overloaded replica at once). When every candidate is
    /// new, none is slowed (ramping them against each other would only delay them all). 1 turns slow start off
    /// whenever a warm replica is there; within [1, 100].
    /// </summary>
    public double SlowStartWarmLoadLimit { get; set; } = DefaultSlowStartWarmLoadLimit;

    /// <summary>
    /// Keep each client on the version it first got (a cookie) while weights move, as long as that version keeps a
    /// weight above zero. Off by default: without it every request is split independently.
    /// </summary>
    public bool StickyVersions { get; set; }

    /// <summary>
    /// The port of the agent's HTTPS listener, where a route with <c>httpsRedirect</c> sends plain HTTP requests (308);
    /// null: the agent has none, and such routes serve plain HTTP as any other.
    /// </summary>
    public int? HttpsRedirectPort { get; set; }

    /// <summary>
    /// Where the last good routing snapshot is kept (e.g. &lt;stateDir&gt;/routing-snapshot.json), loaded at start so
    /// that a balancer restarted during a catalog outage still routes; null keeps none.
    /// </summary>
    public string? SnapshotFile { get; set; }
}

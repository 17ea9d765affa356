using Bollard.Balancer;
using Bollard.Balancer.LoadBalancing;

namespace Bollard.Agent;

/// <summary>
/// The agent config's <c>balancer</c> block, as read: each field maps to the <see cref="BalancerOptions"/> setting it
/// names, and null keeps the balancer's default (so the defaults live in one place, the options). Per-service
/// settings (route timeout, concurrency limit, health path) come from the service specs and win over these.
/// </summary>
public sealed record BalancerConfig
{
    /// <summary>ZoneMode: prefer this agent's zone (Envoy's rule, right when every zone has a balancer) or spread.</summary>
    public ZoneMode? Zones { get; init; }

    /// <summary>ZoneCapacityThreshold: the share of its fair capacity the local zone needs to keep all its traffic.</summary>
    public double? ZoneCapacityThreshold { get; init; }

    /// <summary>Picking: least request by power of two choices, or round robin.</summary>
    public DestinationPicking? Picking { get; init; }

    /// <summary>StickyVersions: keep a client on the version it first got while the weights move.</summary>
    public bool? StickyVersions { get; init; }

    /// <summary>ConnectTimeout: how long connecting to a replica may take before the attempt fails (and is retried).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Retries.RequestTimeout: how long a replica may stay silent; a spec's <c>route.timeout</c> wins.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Shedding.MaxConcurrentRequests: a service's concurrency limit; a spec's <c>route.maxConcurrentRequests</c> wins.</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>Shedding.RetryAfterSeconds: the Retry-After of a shed request's 503.</summary>
    public int? RetryAfterSeconds { get; init; }

    public SlowStartConfig SlowStart { get; init; } = new();

    public HealthChecksConfig HealthChecks { get; init; } = new();

    public OutlierDetectionConfig OutlierDetection { get; init; } = new();

    public RetriesConfig Retries { get; init; } = new();

    public void ApplyTo(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ZoneMode = Zones ?? options.ZoneMode;
        options.ZoneCapacityThreshold = ZoneCapacityThreshold ?? options.ZoneCapacityThreshold;
        options.Picking = Picking ?? options.Picking;
        options.StickyVersions = StickyVersions ?? options.StickyVersions;
        options.ConnectTimeout = ConnectTimeout ?? options.ConnectTimeout;
        options.Retries.RequestTimeout = RequestTimeout ?? options.Retries.RequestTimeout;
        options.Shedding.MaxConcurrentRequests = MaxConcurrentRequests ?? options.Shedding.MaxConcurrentRequests;
        options.Shedding.RetryAfterSeconds = RetryAfterSeconds ?? options.Shedding.RetryAfterSeconds;
        SlowStart.ApplyTo(options);
        HealthChecks.ApplyTo(options);
        OutlierDetection.ApplyTo(options);
        Retries.ApplyTo(options);
    }
}

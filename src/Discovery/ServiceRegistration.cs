using System.Collections.Immutable;

namespace Bollard.Discovery;

/// <summary>What a host agent asks the catalog to record for one replica.</summary>
/// <param name="Id">Unique instance id; registering the same id again replaces the earlier registration.</param>
/// <param name="Service">The service name.</param>
/// <param name="Address">Host or IP the balancer connects to.</param>
/// <param name="Port">TCP port the balancer connects to.</param>
/// <param name="Zone">Zone (rack) of the host running the replica.</param>
/// <param name="Version">The service version the replica runs.</param>
/// <param name="Check">The health check the catalog runs against the replica.</param>
public sealed record ServiceRegistration(
    string Id,
    string Service,
    string Address,
    int Port,
    string Zone,
    string Version,
    HealthCheckRegistration Check)
{
    /// <summary>Free-form tags (Consul tags); Bollard adds its own marker tag.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    public ServiceInstance ToInstance() => new(Id, Service, Address, Port, Zone, Version);
}

/// <summary>An HTTP health check: passing on a 2xx answer within the timeout.</summary>
/// <param name="Url">The URL the catalog probes.</param>
/// <param name="Interval">How often it probes.</param>
/// <param name="Timeout">How long one probe may take.</param>
/// <param name="DeregisterCriticalAfter">A replica critical this long is removed from the catalog.</param>
/// <param name="InitiallyPassing">
/// True when the caller has already seen the check pass (Bollard registers a replica only then), so the
/// replica is routable at once instead of after the first interval.
/// </param>
/// <param name="FailuresBeforeCritical">
/// Failed probes in a row before a passing check turns critical (Consul's failures_before_critical). One slow answer
/// on a busy host must not take a replica out of routing; when every replica of a service is slow at once, a single
/// failure would empty the service.
/// </param>
public sealed record HealthCheckRegistration(
    Uri Url,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan DeregisterCriticalAfter,
    bool InitiallyPassing = true,
    int FailuresBeforeCritical = 1);

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// What the service was doing at one moment, service-wide (all versions together). Each metric is null when it was
/// not observed; a negative or non-finite value counts as not observed.
/// </summary>
/// <param name="ObservedAt">When the observation was taken (the end of the balancer's window).</param>
/// <param name="Replicas">How many replicas the observation covers (normally the ready ones that took traffic).</param>
/// <param name="RequestsPerSecond">Total requests per second over those replicas.</param>
/// <param name="InFlight">Total requests in flight over those replicas.</param>
/// <param name="P95LatencyMs">The service's p95 latency in milliseconds.</param>
/// <param name="CpuPercent">Average CPU percent (of one core) per replica.</param>
public sealed record LoadSnapshot(
    DateTimeOffset ObservedAt,
    int Replicas,
    double? RequestsPerSecond = null,
    double? InFlight = null,
    double? P95LatencyMs = null,
    double? CpuPercent = null)
{
    /// <summary>True when requests are arriving or in flight: the service is in use, whatever its replicas say.</summary>
    public bool HasTraffic => RequestsPerSecond > 0 || InFlight > 0;
}

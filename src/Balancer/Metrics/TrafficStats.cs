namespace Bollard.Balancer.Metrics;

/// <summary>What a service (or one of its versions) served over a recent window of whole seconds.</summary>
/// <param name="Requests">Requests finished in the window.</param>
/// <param name="Errors">Of those, 5xx answers and proxy failures (including no healthy replica and shed requests).</param>
/// <param name="RatePerSecond">Requests divided by the window length.</param>
/// <param name="ErrorRate">Errors divided by requests; 0 when there were none.</param>
/// <param name="P50">Median latency (upper bound of its bucket, at most 25% high); zero without requests.</param>
/// <param name="P95">95th percentile latency, same precision.</param>
/// <param name="P99">99th percentile latency, same precision.</param>
/// <param name="InFlight">Requests being forwarded to a replica right now.</param>
public readonly record struct TrafficStats(
    long Requests,
    long Errors,
    double RatePerSecond,
    double ErrorRate,
    TimeSpan P50,
    TimeSpan P95,
    TimeSpan P99,
    int InFlight);

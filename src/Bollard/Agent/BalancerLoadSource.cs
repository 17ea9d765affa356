using Bollard.Balancer.Metrics;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Traffic;

namespace Bollard.Agent;

/// <summary>
/// Feeds the autoscaler from the balancer in this process: requests per second, requests in flight and p95 latency
/// of a service over the last few seconds of its rolling window. A short window makes a load step visible within
/// seconds; the autoscaler's stabilization windows keep it from reacting to noise.
/// </summary>
internal sealed class BalancerLoadSource(ITrafficWindow window, TimeProvider time) : IServiceLoadSource
{
    /// <summary>How much recent traffic one observation covers.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    public ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken)
    {
        var stats = window.Read(service, null, Window);

        // Without a request in the window a latency is unknown, not zero: leave it out so it cannot lower the count.
        double? p95 = stats.Requests > 0 ? stats.P95.TotalMilliseconds : null;
        return ValueTask.FromResult<LoadSnapshot?>(new LoadSnapshot(time.GetUtcNow(), replicas, stats.RatePerSecond, stats.InFlight, p95));
    }
}

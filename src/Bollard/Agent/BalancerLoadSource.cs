using Bollard.Balancer.Metrics;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Traffic;

namespace Bollard.Agent;

/// <summary>
/// Feeds the autoscaler from the balancer in this process: requests per second, requests in flight and p95 latency
/// of a service over the last few seconds of its rolling window. A short window makes a load step visible within
/// seconds; the autoscaler's stabilization windows keep it from reacting to noise.
/// </summary>
internal sealed class BalancerLoadSource(ITrafficWindow window, TimeProvider time) : ILocalLoadSource
{
    /// <summary>How much recent traffic one observation covers.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>The last seconds alone, where a load step shows first.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    public ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken)
    {
        var stats = window.Read(service, null, Window);

        // A step up fills the long window only after all of it has passed: two seconds into a doubling, the 5 s rate
        // says +40%, and the first scale-up would ask for too few replicas. The highest of the rates is used, so a
        // rise counts as soon as a short window sees it, and a fall only once the long one has seen it too (the
        // scale-down stabilization window then still waits before removing anything). The short windows slide (they
        // include the second still filling), and the last second alone counts only when it rose beyond noise.
        var recent = window.SlidingRequests(service, RecentWindow) / RecentWindow.TotalSeconds;
        var rate = Math.Max(stats.RatePerSecond, recent);
        var beforeLastSecond = stats.Requests - window.Read(service, null, OneSecond).Requests;
        var lastSecond = window.SlidingRequests(service, OneSecond);
        if (LoadStep.RisenRate(lastSecond, beforeLastSecond, (int)(Window - OneSecond).TotalSeconds) is { } risen)
        {
            rate = Math.Max(rate, risen);
        }

        // Without a request in the window a latency is unknown, not zero: leave it out so it cannot lower the count.
        double? p95 = stats.Requests > 0 ? stats.P95.TotalMilliseconds : null;
        return ValueTask.FromResult<LoadSnapshot?>(new LoadSnapshot(time.GetUtcNow(), replicas, rate, stats.InFlight, p95));
    }
}

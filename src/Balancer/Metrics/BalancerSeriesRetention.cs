using Bollard.Balancer.Routing;
using Bollard.Discovery.Supervision;

namespace Bollard.Balancer.Metrics;

/// <summary>Once a minute, lets <see cref="BalancerMetrics"/> delete the series of versions and services no longer routed.</summary>
internal sealed class BalancerSeriesRetention(BalancerMetrics metrics, SnapshotProxyConfigProvider routing, TimeProvider time, LoopHealth? health = null)
    : SupervisedBackgroundService("metrics-retention", health ?? LoopHealth.Detached(time))
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            metrics.Retain(routing.Snapshot, time.GetUtcNow());
        }
    }
}

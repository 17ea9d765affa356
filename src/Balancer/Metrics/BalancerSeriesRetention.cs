using Bollard.Balancer.Routing;
using Microsoft.Extensions.Hosting;

namespace Bollard.Balancer.Metrics;

/// <summary>Once a minute, lets <see cref="BalancerMetrics"/> delete the series of versions and services no longer routed.</summary>
internal sealed class BalancerSeriesRetention(BalancerMetrics metrics, SnapshotProxyConfigProvider routing, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                metrics.Retain(routing.Snapshot, time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

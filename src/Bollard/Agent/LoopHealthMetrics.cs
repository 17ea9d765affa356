using Bollard.Discovery.Supervision;
using Prometheus;

namespace Bollard.Agent;

/// <summary>
/// The loops' health as Prometheus series, read from <see cref="LoopHealth"/> at each scrape: an alert on
/// <c>bollard_loop_consecutive_failures &gt; 0</c> for some minutes says that the agent runs degraded.
/// </summary>
internal static class LoopHealthMetrics
{
    public static void Register(LoopHealth health, IMetricFactory factory, CollectorRegistry registry)
    {
        var failing = factory.CreateGauge("bollard_loop_consecutive_failures", "Failed passes in a row of a background loop of the agent (0: working).", ["loop"]);
        var failures = factory.CreateCounter("bollard_loop_failures_total", "Failed passes of a background loop of the agent since it started.", ["loop"]);
        var success = factory.CreateGauge("bollard_loop_last_success_timestamp_seconds", "When a background loop of the agent last completed a pass (Unix time).", ["loop"]);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var loop in health.Report())
            {
                failing.WithLabels(loop.Name).Set(loop.ConsecutiveFailures);
                failures.WithLabels(loop.Name).IncTo(loop.TotalFailures);
                if (loop.LastSuccess is { } last)
                {
                    success.WithLabels(loop.Name).Set(last.ToUnixTimeMilliseconds() / 1000.0);
                }
            }
        });
    }
}

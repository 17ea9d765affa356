using Bollard.Scaler.Decisions;
using Prometheus;

namespace Bollard.Agent;

/// <summary>
/// The decision log's way to the state store as Prometheus series, read at each scrape: decisions waiting to be
/// written, and those dropped because the queue was full (the store down for long).
/// </summary>
internal static class DecisionMetrics
{
    public static void Register(DecisionOutbox outbox, IMetricFactory factory, CollectorRegistry registry)
    {
        var waiting = factory.CreateGauge("bollard_decisions_waiting", "Decisions queued for the state store, not written yet.");
        var dropped = factory.CreateCounter("bollard_decisions_dropped_total", "Decisions dropped before reaching the state store because their queue was full.");
        registry.AddBeforeCollectCallback(() =>
        {
            waiting.Set(outbox.Waiting);
            dropped.IncTo(outbox.Dropped);
        });
    }
}

namespace Bollard.Scaler.Decisions;

/// <summary>
/// The most recent decisions, bounded (old ones fall off), safe to read while the loop writes. The admin API and
/// the CLI read it; the logs carry the same entries.
/// </summary>
/// <param name="metrics">Counts every decision (bollard_decisions_total); none in tests that do not read it.</param>
/// <param name="capacity">How many decisions are kept.</param>
public sealed class DecisionLog(Metrics.ScalerMetrics? metrics = null, int capacity = 1000)
{
    private readonly Queue<Decision> _entries = new();
    private readonly Lock _lock = new();

    public void Record(Decision decision)
    {
        metrics?.Decided(decision);
        lock (_lock)
        {
            _entries.Enqueue(decision);
            while (_entries.Count > capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    /// <summary>The decisions for a service (or all when null), newest last.</summary>
    public IReadOnlyList<Decision> Read(string? service = null)
    {
        lock (_lock)
        {
            return [.. _entries.Where(d => service is null || d.Service == service)];
        }
    }
}

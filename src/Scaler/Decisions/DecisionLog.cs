namespace Bollard.Scaler.Decisions;

/// <summary>
/// The decisions this agent took, and those the state store keeps of every agent. <see cref="Record"/> is what a
/// reconcile pass calls: it keeps the most recent ones in memory (bounded, old ones fall off) and queues them for the
/// state store (<see cref="DecisionOutbox"/>, written by <see cref="DecisionWriter"/>) without ever waiting. The admin
/// API and the CLI read <see cref="ReadAsync"/>; the logs carry the same entries.
/// </summary>
public sealed class DecisionLog
{
    public const int DefaultCapacity = 1000;
    private readonly Queue<Decision> _entries = new();
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly DecisionOutbox? _outbox;
    private readonly DecisionStore? _store;
    private readonly Metrics.ScalerMetrics? _metrics;

    /// <summary>A log in memory only (tests, tools).</summary>
    public DecisionLog(int capacity = DefaultCapacity)
        : this(capacity, null, null)
    {
    }

    /// <summary>A log in memory only that counts every decision in <paramref name="metrics"/> (bollard_decisions_total).</summary>
    public DecisionLog(Metrics.ScalerMetrics metrics)
        : this(DefaultCapacity, null, null, metrics)
    {
    }

    internal DecisionLog(int capacity, DecisionOutbox? outbox, DecisionStore? store, Metrics.ScalerMetrics? metrics = null)
    {
        _capacity = capacity;
        (_outbox, _store, _metrics) = (outbox, store, metrics);
    }

    public void Record(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _metrics?.Decided(decision);
        lock (_lock)
        {
            _entries.Enqueue(decision);
            while (_entries.Count > _capacity)
            {
                _entries.Dequeue();
            }
        }

        _outbox?.Enqueue(decision);
    }

    /// <summary>This agent's recent decisions for a service (or all when null), newest last.</summary>
    public IReadOnlyList<Decision> Read(string? service = null)
    {
        lock (_lock)
        {
            return [.. _entries.Where(d => service is null || d.Service == service)];
        }
    }

    /// <summary>
    /// The decisions for a service (or all when null), oldest first: those the state store keeps (every agent's that
    /// decided, within <see cref="DecisionRetention"/>'s bounds), with this agent's own that are not written yet. Only
    /// this agent's own when the store cannot be read.
    /// </summary>
    public async Task<IReadOnlyList<Decision>> ReadAsync(string? service, CancellationToken cancellationToken)
    {
        var own = Read(service);
        if (_store is null)
        {
            return own;
        }

        IReadOnlyList<Decision> stored;
        try
        {
            stored = await _store.ReadAsync(service, cancellationToken);
        }
        catch (State.StateStoreUnavailableException)
        {
            return own;
        }

        // Stored ones are bounded (long texts cut): compared as stored, so that one written already shows once.
        var known = stored.ToHashSet();
        return [.. stored.Concat(own.Where(d => !known.Contains(DecisionRetention.Bound(d)))).OrderBy(d => d.At)];
    }
}

using System.Threading.Channels;

namespace Bollard.Scaler.Decisions;

/// <summary>
/// Decisions on their way to the state store: a bounded queue between the loop that decides and
/// <see cref="DecisionWriter"/>. Recording never waits: when the queue is full (the store has been down for a while),
/// the oldest decision waiting is dropped and counted (<see cref="Dropped"/>; metric <c>bollard_decisions_dropped_total</c>).
/// </summary>
public sealed class DecisionOutbox
{
    public const int DefaultCapacity = 10_000;
    private readonly Channel<Decision> _queue;
    private long _dropped;

    public DecisionOutbox()
        : this(DefaultCapacity)
    {
    }

    public DecisionOutbox(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _queue = Channel.CreateBounded<Decision>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Decisions dropped since the agent started because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Decisions waiting to be written.</summary>
    public int Waiting => _queue.Reader.Count;

    internal ChannelReader<Decision> Reader => _queue.Reader;

    /// <summary>Queues a decision; never waits.</summary>
    public void Enqueue(Decision decision) => _queue.Writer.TryWrite(decision);
}

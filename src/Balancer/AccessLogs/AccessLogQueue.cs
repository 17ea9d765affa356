using System.Threading.Channels;

namespace Bollard.Balancer.AccessLogs;

/// <summary>
/// One listener's lines on their way to its file: a bounded queue that a request never waits on. A full queue (the
/// disk slower than the traffic) drops the new line and counts it.
/// </summary>
internal sealed class AccessLogQueue(AccessLogOptions options)
{
    private readonly Channel<AccessLogEntry> _entries = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _dropped;

    public AccessLogOptions Options { get; } = options;

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<AccessLogEntry> Reader => _entries.Reader;

    /// <summary>Queues the line; false (and counted) when the queue is full. Never blocks.</summary>
    public bool TryAdd(AccessLogEntry entry)
    {
        if (_entries.Writer.TryWrite(entry))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>No more lines: the writer drains what is queued and ends.</summary>
    public void Complete() => _entries.Writer.TryComplete();
}

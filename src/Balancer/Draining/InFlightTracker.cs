using System.Collections.Concurrent;
using Bollard.Balancer.Metrics;
using Yarp.ReverseProxy.Configuration;

namespace Bollard.Balancer.Draining;

/// <summary>
/// Requests in flight per destination id, kept here rather than on YARP's DestinationState because that state is
/// gone once the destination leaves the config, and draining is precisely about what is left after that.
/// An entry lives while its count is above zero: the request that brings it to zero retires it (count -1) and
/// removes it, so ids of replaced containers do not accumulate; a request arriving at a retired entry takes a
/// fresh one.
/// </summary>
internal sealed class InFlightTracker(TrafficWindows windows)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Counts a request to a destination, also in its service version's traffic window (resolved only when the
    /// entry is created: the hot path is one lookup and two Interlocked operations).
    /// </summary>
    public Entry Enter(string destinationId, DestinationConfig destination, ClusterConfig cluster)
    {
        while (true)
        {
            var entry = _entries.TryGetValue(destinationId, out var found)
                ? found
                : _entries.GetOrAdd(
                    destinationId,
                    static (id, state) => new Entry(id, state.Windows.For(ServiceNames.Of(state.Cluster), ServiceNames.VersionOf(state.Destination))),
                    (Windows: windows, Destination: destination, Cluster: cluster));
            if (entry.TryEnter())
            {
                entry.Window.Started();
                return entry;
            }
        }
    }

    public void Exit(Entry entry)
    {
        entry.Window.Finished();
        if (entry.Exit())
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(entry.Id, entry));
            entry.SignalDrained();
        }
    }

    public int InFlight(string destinationId) =>
        _entries.TryGetValue(destinationId, out var entry) ? Math.Max(0, entry.Count) : 0;

    /// <summary>The ids with a request in flight (an entry lives only while its count is above zero).</summary>
    public IReadOnlyList<string> Busy() => [.. _entries.Where(e => e.Value.Count > 0).Select(e => e.Key)];

    /// <summary>Completes when the current entry of the id retires; at once when there is none.</summary>
    public Task WhenIdle(string destinationId) =>
        _entries.TryGetValue(destinationId, out var entry) ? entry.WhenDrained() : Task.CompletedTask;

    internal sealed class Entry(string id, TrafficWindow window)
    {
        private readonly Lock _lock = new();
        private int _count;
        private TaskCompletionSource? _drained;

        public string Id { get; } = id;

        public TrafficWindow Window { get; } = window;

        public int Count => Volatile.Read(ref _count);

        public bool TryEnter()
        {
            var count = Volatile.Read(ref _count);
            while (count >= 0)
            {
                var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
                if (seen == count)
                {
                    return true;
                }

                count = seen;
            }

            return false;
        }

        /// <summary>True when this was the last request and the entry is now retired.</summary>
        public bool Exit() =>
            Interlocked.Decrement(ref _count) == 0 && Interlocked.CompareExchange(ref _count, -1, 0) == 0;

        public Task WhenDrained()
        {
            lock (_lock)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // Retired before the waiter arrived: nothing will signal any more.
                if (Volatile.Read(ref _count) < 0)
                {
                    _drained.TrySetResult();
                }

                return _drained.Task;
            }
        }

        public void SignalDrained()
        {
            lock (_lock)
            {
                _drained?.TrySetResult();
            }
        }
    }
}

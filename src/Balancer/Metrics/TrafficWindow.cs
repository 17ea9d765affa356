namespace Bollard.Balancer.Metrics;

/// <summary>
/// Rolling traffic of one service version: one slot per second, each with a request count, an error count and a
/// latency histogram, in flat arrays (no object per slot). Recording is lock-free (Interlocked on the current
/// slot, no allocation); only the first writer of a new second takes a lock, to clear the slot it reuses.
/// </summary>
internal sealed class TrafficWindow
{
    /// <summary>Whole seconds that can be read; one more slot holds the second still filling.</summary>
    public const int Seconds = 60;

    private const int Slots = Seconds + 1;

    private readonly long _frequency;
    private readonly Lock _rollLock = new();
    private readonly long[] _epochs = new long[Slots];
    private readonly int[] _requests = new int[Slots];
    private readonly int[] _errors = new int[Slots];
    private readonly int[] _latency = new int[Slots * LatencyBuckets.Count];
    private int _inFlight;
    private volatile bool _retired;

    public TrafficWindow(long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _frequency = timestampFrequency;
        // No second is -1, so every slot starts out stale.
        Array.Fill(_epochs, -1);
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The last second (in timestamp seconds) anything was recorded; -1 before the first request.</summary>
    public long LastSecond { get; private set; } = -1;

    /// <summary>
    /// Set once <see cref="TrafficWindows"/> dropped this window for being idle: a caller that kept a reference must
    /// look its window up again, or its requests would be counted where nobody reads them.
    /// </summary>
    public bool Retired => _retired;

    internal void Retire() => _retired = true;

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Finished() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Counts one finished request at <paramref name="timestamp"/> (a TimeProvider timestamp).</summary>
    public void Record(long timestamp, TimeSpan elapsed, bool error)
    {
        var second = timestamp / _frequency;
        var slot = (int)(second % Slots);
        var epoch = Volatile.Read(ref _epochs[slot]);
        if (epoch != second && !Roll(slot, second))
        {
            return;
        }

        Interlocked.Increment(ref _requests[slot]);
        if (error)
        {
            Interlocked.Increment(ref _errors[slot]);
        }

        Interlocked.Increment(ref _latency[(slot * LatencyBuckets.Count) + LatencyBuckets.IndexOf(elapsed)]);
    }

    /// <summary>Adds the last <paramref name="seconds"/> complete seconds before <paramref name="now"/> to the sums.</summary>
    public void AddTo(ref TrafficSums sums, long now, int seconds)
    {
        var current = now / _frequency;
        for (var second = current - seconds; second < current; second++)
        {
            if (second < 0)
            {
                continue;
            }

            var slot = (int)(second % Slots);
            if (Volatile.Read(ref _epochs[slot]) != second)
            {
                continue;
            }

            sums.Requests += Volatile.Read(ref _requests[slot]);
            sums.Errors += Volatile.Read(ref _errors[slot]);
            var buckets = _latency.AsSpan(slot * LatencyBuckets.Count, LatencyBuckets.Count);
            for (var i = 0; i < buckets.Length; i++)
            {
                sums.Latency[i] += Volatile.Read(ref buckets[i]);
            }
        }

        sums.InFlight += InFlight;
    }

    /// <summary>
    /// Requests in the <paramref name="seconds"/> before <paramref name="now"/>, the second still filling included: the
    /// oldest second counts with the share of it still inside the span (requests are taken as even within a second).
    /// </summary>
    public double SlidingRequests(long now, int seconds)
    {
        var current = now / _frequency;
        var elapsed = (double)(now % _frequency) / _frequency;
        var sum = 0.0;
        for (var back = 0; back <= seconds && current - back >= 0; back++)
        {
            var second = current - back;
            var slot = (int)(second % Slots);
            if (Volatile.Read(ref _epochs[slot]) != second)
            {
                continue;
            }

            var requests = Volatile.Read(ref _requests[slot]);
            sum += back == seconds ? requests * (1 - elapsed) : requests;
        }

        return sum;
    }

    /// <summary>Clears a slot for a new second. False when the slot already holds a newer second (a very late writer).</summary>
    private bool Roll(int slot, long second)
    {
        lock (_rollLock)
        {
            var epoch = _epochs[slot];
            if (epoch == second)
            {
                return true;
            }

            if (epoch > second)
            {
                return false;
            }

            _requests[slot] = 0;
            _errors[slot] = 0;
            Array.Clear(_latency, slot * LatencyBuckets.Count, LatencyBuckets.Count);
            // Published last: a writer that sees the new epoch sees the cleared counters.
            Volatile.Write(ref _epochs[slot], second);
            LastSecond = Math.Max(LastSecond, second);
            return true;
        }
    }
}

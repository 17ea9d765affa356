namespace Bollard.Balancer.Retries;

/// <summary>
/// One service's retry budget over a rolling window of 1-second slots: retries may not exceed
/// <c>ratio x requests + minPerSecond x window</c> (see <see cref="Allows"/>), so a failing service cannot
/// multiply its own load. Requests are counted lock-free; a retry check sums the window (retries are rare).
/// Two concurrent checks may both pass at the edge: the budget can be exceeded by the concurrency, not more.
/// </summary>
internal sealed class RetryBudget
{
    public const int WindowSeconds = 10;

    private readonly double _ratio;
    private readonly int _minPerSecond;
    private readonly long _frequency;
    private readonly Lock _rollLock = new();
    private readonly long[] _epochs = new long[WindowSeconds];
    private readonly int[] _requests = new int[WindowSeconds];
    private readonly int[] _retries = new int[WindowSeconds];

    public RetryBudget(double ratio, int minPerSecond, long timestampFrequency)
    {
        _ratio = ratio;
        _minPerSecond = minPerSecond;
        _frequency = timestampFrequency;
        Array.Fill(_epochs, -1);
    }

    /// <summary>The budget rule itself: may one more retry happen, given the window's counts.</summary>
    public static bool Allows(long requests, long retries, double ratio, int minPerSecond, int windowSeconds) =>
        retries + 1 <= (ratio * requests) + ((long)minPerSecond * windowSeconds);

    public void RecordRequest(long timestamp) => Interlocked.Increment(ref _requests[SlotOf(timestamp)]);

    /// <summary>Takes one retry from the budget if it allows one.</summary>
    public bool TryAcquire(long timestamp)
    {
        var current = timestamp / _frequency;
        long requests = 0;
        long retries = 0;
        for (var second = current - WindowSeconds + 1; second <= current; second++)
        {
            var slot = (int)(((second % WindowSeconds) + WindowSeconds) % WindowSeconds);
            if (Volatile.Read(ref _epochs[slot]) == second)
            {
                requests += Volatile.Read(ref _requests[slot]);
                retries += Volatile.Read(ref _retries[slot]);
            }
        }

        if (!Allows(requests, retries, _ratio, _minPerSecond, WindowSeconds))
        {
            return false;
        }

        Interlocked.Increment(ref _retries[SlotOf(timestamp)]);
        return true;
    }

    private int SlotOf(long timestamp)
    {
        var second = timestamp / _frequency;
        var slot = (int)(second % WindowSeconds);
        if (Volatile.Read(ref _epochs[slot]) != second)
        {
            lock (_rollLock)
            {
                if (_epochs[slot] < second)
                {
                    _requests[slot] = 0;
                    _retries[slot] = 0;
                    Volatile.Write(ref _epochs[slot], second);
                }
            }
        }

        return slot;
    }
}

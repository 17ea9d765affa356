namespace Bollard.Balancer.Shedding;

/// <summary>
/// A non-blocking concurrency limit: enter succeeds below the limit, fails at once above it (no queue). The
/// limit can change while requests run; those already in keep running.
/// </summary>
internal sealed class ConcurrencyLimiter(int limit)
{
    private int _current;
    private volatile int _limit = limit;

    public int Current => Volatile.Read(ref _current);

    public int Limit
    {
        get => _limit;
        set => _limit = value;
    }

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _current) <= _limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _current);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}

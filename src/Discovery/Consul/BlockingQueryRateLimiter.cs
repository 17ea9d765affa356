namespace Bollard.Discovery.Consul;

/// <summary>
/// A token bucket for a watch loop, as Consul's blocking-query docs advise instead of a fixed sleep: a burst of
/// quick successive queries goes through at once (the happy case), a churning index degrades into one query per
/// interval. Pure: the caller passes the time and performs the returned delay.
/// </summary>
internal sealed class BlockingQueryRateLimiter
{
    private readonly TimeSpan interval;
    private readonly double burst;
    private double tokens;
    private DateTimeOffset? last;

    public BlockingQueryRateLimiter(TimeSpan interval, int burst = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        this.interval = interval;
        this.burst = burst;
        tokens = burst;
    }

    /// <summary>Takes a token for a query at <paramref name="now"/>; returns how long to wait before sending it.</summary>
    public TimeSpan Acquire(DateTimeOffset now)
    {
        if (last is { } previous && now > previous)
        {
            tokens = Math.Min(burst, tokens + ((now - previous) / interval));
        }

        last = now;

        // A negative balance is a debt the caller pays by waiting; the refill at the next call counts that wait.
        tokens -= 1;
        return tokens >= 0 ? TimeSpan.Zero : interval * -tokens;
    }
}

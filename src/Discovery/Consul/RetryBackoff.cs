namespace Bollard.Discovery.Consul;

/// <summary>Exponential backoff between failed queries: first, 2x first, 4x first, … capped at max.</summary>
internal static class RetryBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);

    /// <param name="failures">Consecutive failures so far, at least 1.</param>
    /// <param name="max">The cap.</param>
    public static TimeSpan Delay(int failures, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);

        // 2^20 x 250 ms is days: past that the cap always wins, and the shift cannot overflow.
        var factor = 1L << Math.Min(failures - 1, 20);
        var delay = First * factor;
        return delay < max ? delay : max;
    }
}

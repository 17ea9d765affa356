namespace Bollard.Discovery.Supervision;

/// <summary>
/// The wait after a failed pass: doubling from <c>first</c> up to <c>max</c>, with jitter so that the agents of a
/// cluster that lost Consul together do not come back at the same instant ("equal jitter": half of the delay is fixed,
/// half random, so it never collapses to zero and never exceeds the cap).
/// </summary>
public static class LoopBackoff
{
    /// <param name="failures">Failures in a row, at least 1.</param>
    /// <param name="first">The delay after the first failure (before jitter).</param>
    /// <param name="max">The cap.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int failures, TimeSpan first, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);

        // 2^20 times anything sensible is past the cap: the shift cannot overflow and the cap wins.
        var doubled = first.Ticks * (1L << Math.Min(failures - 1, 20));
        var capped = Math.Min(doubled, max.Ticks);
        var jitter = Math.Clamp(random, 0, 1);
        return TimeSpan.FromTicks((long)((capped / 2.0) + (capped / 2.0 * jitter)));
    }
}

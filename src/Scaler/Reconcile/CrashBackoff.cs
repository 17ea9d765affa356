using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>The crash back-off's arithmetic: how long a version waits after its n-th failed start in a row. Pure; the
/// randomness comes in as a number.</summary>
internal static class CrashBackoff
{
    /// <summary>How far a wait may vary each way, as a share of it.</summary>
    public const double Jitter = 0.2;

    /// <param name="spec">The service's back-off.</param>
    /// <param name="failedStarts">Failed starts in a row, 1 or more.</param>
    /// <param name="random">A number in [0, 1): 0.5 gives the wait itself, 0 and 1 its bounds.</param>
    /// <returns><c>initial x 2^(n-1)</c>, at most <c>max</c>, varied by up to <see cref="Jitter"/> and never above <c>max</c>.</returns>
    public static TimeSpan Delay(CrashBackoffSpec spec, int failedStarts, double random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var doublings = Math.Clamp(failedStarts - 1, 0, 40);
        var wait = Math.Min(spec.Initial.TotalMilliseconds * Math.Pow(2, doublings), spec.Max.TotalMilliseconds);
        var varied = wait * (1 - Jitter + (2 * Jitter * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Min(varied, spec.Max.TotalMilliseconds));
    }
}

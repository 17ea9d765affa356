namespace Bollard.Agent;

/// <summary>
/// Whether the last second's requests stand out from the seconds before it by more than chance. Request arrivals are
/// close to Poisson, so a count n varies by about sqrt(n): a one-second count is too noisy to scale on by itself (at 36
/// requests a second it varies by 17%, above the autoscaler's 10% tolerance), but a rise of several standard
/// deviations over the seconds before is a real step, seen within a fraction of a second instead of after a whole
/// window has filled.
/// </summary>
internal static class LoadStep
{
    /// <summary>
    /// How many standard deviations a rise must clear. At 4, a steady Poisson load passes by chance about once in
    /// 30,000 checks (the autoscaler checks a few times a second); a step from idle must bring 17 requests in a second.
    /// </summary>
    public const double Sigmas = 4;

    /// <summary>
    /// The last second's rate when it rose beyond noise above the rate before it; else null.
    /// </summary>
    /// <param name="lastSecond">Requests in the last second (sliding, ending now).</param>
    /// <param name="before">Requests in the <paramref name="beforeSeconds"/> whole seconds before that second.</param>
    /// <param name="beforeSeconds">The length of the baseline, in seconds (at least 1).</param>
    public static double? RisenRate(double lastSecond, double before, int beforeSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(beforeSeconds, 1);
        var baseline = Math.Max(before, 0) / beforeSeconds;
        // The variance of a difference is the sum of variances: n for the last second, n/k^2 for a k-second mean.
        var variance = Math.Max(lastSecond + (Math.Max(before, 0) / ((double)beforeSeconds * beforeSeconds)), 1);
        return lastSecond - baseline > Sigmas * Math.Sqrt(variance) ? lastSecond : null;
    }
}

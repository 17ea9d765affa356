namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// Slow start: a replica first seen healthy at <c>since</c> ramps its weight from a minimum to full over the window,
/// so a cold process (JIT, caches, connection pools) is not handed a full share at once. Pure functions of ticks.
/// </summary>
internal static class SlowStart
{
    /// <summary>Full weight, per-mille.</summary>
    public const int Full = 1000;

    /// <summary>
    /// The weight at <paramref name="nowTicks"/>, per-mille, within [<paramref name="minimumPerMille"/>, 1000]:
    /// <c>minimum + (1 - minimum) x (elapsed / window)^(1 / aggression)</c>. Aggression 1 is a straight line; above 1
    /// the ramp front-loads (2: a quarter of the window gives half of the way), as Envoy's slow-start aggression.
    /// </summary>
    public static int WeightPerMille(long sinceTicks, long nowTicks, long windowTicks, int minimumPerMille, double aggression = 1.0)
    {
        var elapsed = nowTicks - sinceTicks;
        if (windowTicks <= 0 || elapsed >= windowTicks || minimumPerMille >= Full)
        {
            return Full;
        }

        if (elapsed <= 0)
        {
            return minimumPerMille;
        }

        var progress = (double)elapsed / windowTicks;
        if (aggression != 1.0)
        {
            progress = Math.Pow(progress, 1.0 / aggression);
        }

        return minimumPerMille + (int)((Full - minimumPerMille) * progress);
    }

    /// <summary>
    /// The least starting weight (per-mille) that keeps <paramref name="warm"/> replicas from carrying more than
    /// <paramref name="warmLoadLimit"/> times their fair share while <paramref name="ramping"/> others ramp. With
    /// weight w each ramping replica gets w / (warm + ramping x w) of the picks, so the warm ones' share
    /// warm / (warm + ramping x w) stays within limit x warm / (warm + ramping) when
    /// w >= ((warm + ramping) / limit - warm) / ramping. One replica added to five needs no floor (five warm ones
    /// can carry it); five added to one (a scale-out because that one was overloaded) start at 40% with limit 2
    /// instead of 10%, so the overloaded replica is relieved at once.
    /// </summary>
    public static int FloorPerMille(int warm, int ramping, double warmLoadLimit)
    {
        if (ramping <= 0 || warm <= 0)
        {
            return 0;
        }

        var floor = (((warm + ramping) / warmLoadLimit) - warm) / ramping;
        return (int)Math.Clamp(Math.Ceiling(floor * Full), 0, Full);
    }
}

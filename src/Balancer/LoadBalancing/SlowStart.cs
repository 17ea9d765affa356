namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// Slow start: a replica first seen healthy at <c>since</c> ramps its weight linearly from the minimum to full over
/// the window, so a cold process (JIT, caches, connection pools) is not handed a full share at once.
/// </summary>
internal static class SlowStart
{
    /// <summary>Full weight, per-mille.</summary>
    public const int Full = 1000;

    /// <summary>The weight at <paramref name="nowTicks"/>, per-mille, within [<paramref name="minimumPerMille"/>, 1000].</summary>
    public static int WeightPerMille(long sinceTicks, long nowTicks, long windowTicks, int minimumPerMille)
    {
        var elapsed = nowTicks - sinceTicks;
        if (windowTicks <= 0 || elapsed >= windowTicks)
        {
            return Full;
        }

        if (elapsed <= 0)
        {
            return minimumPerMille;
        }

        return minimumPerMille + (int)((Full - minimumPerMille) * (double)elapsed / windowTicks);
    }
}

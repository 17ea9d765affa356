namespace Bollard.Balancer.LoadBalancing;

/// <summary>The picking-related options, read once and in the units the hot path uses.</summary>
/// <param name="Zone">The balancer's zone; empty disables zone preference.</param>
/// <param name="ZoneMode">Prefer the local zone or spread.</param>
/// <param name="ZoneCapacityThreshold">Share of its fair capacity the local zone needs to keep all its traffic (Envoy's rule at 1.0).</param>
/// <param name="Picking">Power of two choices or round robin.</param>
/// <param name="SlowStartWindowTicks">Length of the slow-start ramp; 0 disables it.</param>
/// <param name="SlowStartMinimumPerMille">Weight of a replica at the start of its ramp, per-mille.</param>
/// <param name="SlowStartAggression">Shape of the ramp: 1 linear, above 1 front-loaded.</param>
/// <param name="SlowStartWarmLoadLimit">How many times its fair share a warm replica carries at most while others ramp.</param>
/// <param name="StickyVersions">Keep clients on the version they first got, with a cookie.</param>
internal sealed record PickSettings(
    string Zone,
    ZoneMode ZoneMode,
    double ZoneCapacityThreshold,
    DestinationPicking Picking,
    long SlowStartWindowTicks,
    int SlowStartMinimumPerMille,
    double SlowStartAggression,
    double SlowStartWarmLoadLimit,
    bool StickyVersions)
{
    public static PickSettings From(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PickSettings(
            options.Zone ?? string.Empty,
            options.ZoneMode,
            options.ZoneCapacityThreshold,
            options.Picking,
            options.SlowStartWindow.Ticks,
            (int)Math.Round(options.SlowStartMinimumWeight * SlowStart.Full),
            options.SlowStartAggression,
            options.SlowStartWarmLoadLimit,
            options.StickyVersions);
    }
}

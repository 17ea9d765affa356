namespace Bollard.Balancer.Routing;

/// <summary>
/// When the routing snapshot is rebuilt after a change: at once when the last rebuild is at least one debounce ago
/// (a lone change reaches YARP without waiting), else when that debounce has passed (the changes of a burst are
/// taken together). Rebuilds are so never closer than the debounce, and a change never waits longer than it.
/// </summary>
internal static class RebuildPacing
{
    /// <param name="debounce">The least time between two rebuilds.</param>
    /// <param name="sinceLastRebuild">Time since the last rebuild; null before the first.</param>
    public static TimeSpan Wait(TimeSpan debounce, TimeSpan? sinceLastRebuild) =>
        sinceLastRebuild is { } since && since < debounce ? debounce - since : TimeSpan.Zero;
}

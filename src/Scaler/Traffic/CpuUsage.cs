using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Traffic;

/// <summary>CPU percent from two readings of a container's cumulative counter. Pure arithmetic, no I/O.</summary>
public static class CpuUsage
{
    /// <summary>
    /// The CPU the container used between the two samples, in percent of one core (200 = two cores busy). Null when the
    /// samples cannot give a rate: no time between them, or a counter that went back (the container restarted in place).
    /// </summary>
    public static double? PercentOfOneCore(ContainerCpuSample previous, ContainerCpuSample current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var wall = current.ReadAt - previous.ReadAt;
        if (wall <= TimeSpan.Zero || current.TotalUsageNanoseconds < previous.TotalUsageNanoseconds)
        {
            return null;
        }

        // TimeSpan ticks are 100 ns.
        var usedNanoseconds = (double)(current.TotalUsageNanoseconds - previous.TotalUsageNanoseconds);
        return usedNanoseconds / (wall.Ticks * 100.0) * 100;
    }
}

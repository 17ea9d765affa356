using System.Globalization;
using Bollard.Discovery.Supervision;

namespace Bollard.Agent.Systemd;

/// <summary>Whether the agent's loops are alive, for the watchdog's heartbeat: pure, from the loops' reports.</summary>
internal static class WatchdogCheck
{
    /// <summary>
    /// A loop is wedged when a pass of it began more than <paramref name="stallLimit"/> ago and has not ended. A loop
    /// waiting between passes is alive however long it waits: for its next turn, a wake-up, a backoff after failures
    /// (an outage of Consul or Docker must not get the agent restarted), or the controller lock in cluster mode.
    /// </summary>
    /// <returns>Null when every loop is alive, else what is wedged.</returns>
    public static string? Wedged(IReadOnlyList<LoopReport> loops, DateTimeOffset now, TimeSpan stallLimit)
    {
        ArgumentNullException.ThrowIfNull(loops);
        foreach (var loop in loops)
        {
            if (loop.PassStarted is { } started && now - started > stallLimit)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"the {loop.Name} loop is wedged: one pass has been running for {(now - started).TotalSeconds:0} s (limit {stallLimit.TotalSeconds:0} s)");
            }
        }

        return null;
    }
}

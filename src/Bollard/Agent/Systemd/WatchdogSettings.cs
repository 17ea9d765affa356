using System.Globalization;

namespace Bollard.Agent.Systemd;

/// <summary>
/// The service manager's watchdog (the unit's <c>WatchdogSec=</c>): systemd kills and restarts the agent when no
/// WATCHDOG=1 reaches <see cref="NotifySocket"/> within <see cref="Timeout"/>. The agent sends one every
/// <see cref="Interval"/> while it is alive (see <see cref="WatchdogCheck"/>).
/// </summary>
/// <param name="Timeout">WATCHDOG_USEC: the longest silence systemd accepts.</param>
/// <param name="NotifySocket">NOTIFY_SOCKET: where the heartbeats go.</param>
internal sealed record WatchdogSettings(TimeSpan Timeout, string NotifySocket)
{
    /// <summary>
    /// A loop pass running this long is wedged. Far above the longest pass that works: a pass is bounded by its calls'
    /// timeouts (30 s for each Docker request); one still running after five minutes will not end by itself.
    /// </summary>
    public static readonly TimeSpan DefaultStallLimit = TimeSpan.FromMinutes(5);

    public TimeSpan StallLimit { get; init; } = DefaultStallLimit;

    /// <summary>A heartbeat every third of the timeout: one late or skipped heartbeat alone does not get the agent killed.</summary>
    public TimeSpan Interval => Timeout / 3;

    /// <summary>
    /// The watchdog systemd asks for (sd_watchdog_enabled(3)): WATCHDOG_USEC set, WATCHDOG_PID unset or this process,
    /// and a notification socket. Null when there is none (not under systemd, or no <c>WatchdogSec=</c>).
    /// </summary>
    public static WatchdogSettings? FromEnvironment()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var socket = Environment.GetEnvironmentVariable(Systemd.NotifySocket.Variable);
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros <= 0 || string.IsNullOrEmpty(socket))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null; // meant for another process (this one was started by the service, not as the service)
        }

        return new WatchdogSettings(TimeSpan.FromMicroseconds(micros), socket);
    }
}

using Bollard.Discovery.Supervision;

namespace Bollard.Agent.Systemd;

/// <summary>
/// Sends systemd's watchdog heartbeat (WATCHDOG=1) every <see cref="WatchdogSettings.Interval"/>, but only while the
/// agent is alive: no loop wedged in a pass (<see cref="WatchdogCheck"/>) and the balancer's listener answering
/// (<see cref="BalancerProbe"/>). When either fails the heartbeat stops, and systemd restarts the agent after the
/// unit's <c>WatchdogSec=</c>. It runs on the thread pool like everything else, so a starved pool silences it too.
/// </summary>
internal sealed partial class SystemdWatchdog(
    WatchdogSettings settings,
    BalancerProbe probe,
    LoopHealth health,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SystemdWatchdog> logger) : SupervisedBackgroundService("watchdog", health)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // The listeners open after the hosted services have started: probing before would only find them closed.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var socket = new NotifySocket(settings.NotifySocket);
        using var timer = new PeriodicTimer(settings.Interval, time);
        LogStarted(settings.Timeout.TotalSeconds, settings.Interval.TotalSeconds, settings.StallLimit.TotalSeconds);
        string? silentBecause = null;
        do
        {
            var problem = WatchdogCheck.Wedged(Health.Report(), time.GetUtcNow(), settings.StallLimit)
                ?? await probe.CheckAsync(settings.Interval, time, stoppingToken);
            if (problem is null)
            {
                socket.Send("WATCHDOG=1");
                Status.Succeeded();
                if (silentBecause is not null)
                {
                    LogAliveAgain();
                }
            }
            else if (problem != silentBecause)
            {
                LogSilent(problem);
            }

            silentBecause = problem;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "systemd watchdog: a heartbeat every {Interval:0.#} s while the agent is alive (systemd restarts it after {Timeout:0.#} s without one; a loop pass running {Stall:0} s is wedged)")]
    private partial void LogStarted(double timeout, double interval, double stall);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Critical, Message = "systemd watchdog: no heartbeat, {Problem}; systemd restarts the agent unless this passes")]
    private partial void LogSilent(string problem);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "systemd watchdog: alive again, heartbeats resume")]
    private partial void LogAliveAgain();
}

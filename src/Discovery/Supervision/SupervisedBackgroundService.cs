using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Discovery.Supervision;

/// <summary>
/// A background loop of the agent that cannot stop the agent: whatever escapes <see cref="RunAsync"/> (a store,
/// catalog or engine outage the loop did not handle itself, a bug) is recorded in <see cref="LoopHealth"/>, logged
/// when it is news, and the loop is started again after a jittered backoff. The host's default is to stop the whole
/// process when a background service throws, which would take the balancer down with it.
/// </summary>
/// <remarks>
/// Loops handle their expected failures per pass and keep their last good state; this is the net under them. A loop
/// that ends by returning normally is not restarted.
/// </remarks>
public abstract partial class SupervisedBackgroundService(string name, LoopHealth health) : BackgroundService
{
    private static readonly TimeSpan FirstRestart = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRestart = TimeSpan.FromSeconds(30);

    /// <summary>Where this loop (and any inner loop of it) reports.</summary>
    protected LoopHealth Health { get; } = health;

    /// <summary>This loop's status (its passes report to it too).</summary>
    protected LoopStatus Status { get; } = health.Track(name);

    /// <summary>The loop. Restarted after a backoff if it throws; done when it returns.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await RunAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var news = Status.Failed(e);
                wait = Status.Backoff(FirstRestart, MaxRestart);
                if (news)
                {
                    LogRestarting(Health.Logger, Status.Name, wait.TotalSeconds, e);
                }
                else
                {
                    LogRestartingAgain(Health.Logger, Status.Name, wait.TotalSeconds, e.Message);
                }
            }

            try
            {
                await Task.Delay(wait, Health.Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error, Message = "The {Loop} loop failed and is restarted in {Seconds:0.0} s; the agent keeps serving")]
    private static partial void LogRestarting(ILogger logger, string loop, double seconds, Exception error);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Debug, Message = "The {Loop} loop failed again and is restarted in {Seconds:0.0} s: {Error}")]
    private static partial void LogRestartingAgain(ILogger logger, string loop, double seconds, string error);
}

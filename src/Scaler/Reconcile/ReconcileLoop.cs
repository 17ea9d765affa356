using System.Threading.Channels;
using Bollard.Discovery;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Runs <see cref="Reconciler.ReconcileOnceAsync"/> forever: on a timer, and at once when Docker reports a container
/// event, a removal finishes, a new replica passes its first check, or a service's load rises past its last decision.
/// Events only wake it; every pass re-reads everything (level-triggered). Passes run only while the <see cref="IReconcileGate"/>
/// is open (in cluster mode: while this agent is the controller).
/// </summary>
/// <remarks>
/// A pass that fails, for whatever reason (Docker, the catalog or the state store unreachable, a check-and-set
/// conflict, a bug), is skipped: what it did before failing stays, the next pass starts again from what it observes,
/// after a capped, jittered backoff. The failure is logged when it is news and shows in <see cref="LoopHealth"/>
/// (/healthz, metrics); the agent and its balancer keep running.
/// </remarks>
internal sealed partial class ReconcileLoop(
    Reconciler reconciler,
    HostSet hosts,
    IReconcileGate gate,
    IEnumerable<IReconcilePrecondition> preconditions,
    IOptions<ScalerOptions> options,
    LoopHealth health,
    TimeProvider time,
    ILogger<ReconcileLoop> logger) : SupervisedBackgroundService("reconcile", health)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    // One pending wake-up is enough: a pass reads the whole state anyway.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        reconciler.Changed += Wake;
        try
        {
            var events = Task.WhenAll(hosts.Hosts.Select(h => PumpEventsAsync(h.Runtime, stoppingToken)).Append(WatchLoadAsync(stoppingToken)));
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan next;
                try
                {
                    // Waiting at a closed gate (an agent that is not the controller) is not a pass, however long.
                    await gate.WaitOpenAsync(stoppingToken);
                    Status.BeginPass();
                    foreach (var precondition in preconditions)
                    {
                        await precondition.EnsureAsync(stoppingToken);
                    }

                    var plan = await reconciler.ReconcileOnceAsync(stoppingToken);
                    if (Status.Succeeded() is > 0 and var failures)
                    {
                        LogPassesWorkAgain(failures);
                    }

                    next = Reconciler.HasStartingReplicas(plan) ? options.Value.StartingPollInterval : options.Value.ResyncInterval;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (NotLeadingException e)
                {
                    // Not a failure: this agent stopped controlling the cluster mid-pass. The gate holds the next one.
                    LogPassStoppedNotLeading(e.Message);
                    next = FirstRetry;
                }
                catch (Exception e)
                {
                    next = PassFailed(e);
                }

                await WaitAsync(next, stoppingToken);
            }

            await events;
        }
        finally
        {
            reconciler.Changed -= Wake;
        }
    }

    /// <summary>Records a failed pass, logs it when it is news, and says when to try again.</summary>
    private TimeSpan PassFailed(Exception error)
    {
        var news = Status.Failed(error);
        var next = Status.Backoff(FirstRetry, options.Value.MaxBackoff);
        if (!news)
        {
            LogPassFailedAgain(Status.ConsecutiveFailures, next.TotalSeconds, error.Message);
            return next;
        }

        switch (error)
        {
            case RuntimeUnavailableException:
                LogDockerUnavailable(error.Message, next.TotalSeconds);
                break;
            case State.StateStoreUnavailableException or CatalogUnavailableException:
                LogDependencyUnavailable(error.Message, next.TotalSeconds);
                break;
            case State.StateConflictException:
                LogConflict(error.Message);
                break;
            default:
                LogPassFailed(next.TotalSeconds, error);
                break;
        }

        return next;
    }

    private TimeSpan Backoff(int failures) => LoopBackoff.Delay(failures, FirstRetry, options.Value.MaxBackoff, 0.5);

    private Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken) =>
        WakeOrTimeout.WaitAsync(_wake.Reader, delay, time, stoppingToken);

    /// <summary>
    /// Wakes the loop when a service's load rises above what its last decision saw: a load step is then decided
    /// within <see cref="ScalerOptions.LoadCheckInterval"/> instead of up to a whole <see cref="ScalerOptions.ResyncInterval"/>.
    /// </summary>
    private async Task WatchLoadAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.LoadCheckInterval;
        if (every <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await reconciler.CheckLoadAsync(stoppingToken) is { } rise)
                    {
                        LogLoadRose(rise.Service, rise.Asked, rise.Decided);
                        Wake();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Only an early wake-up is lost: the next pass reads the load itself (and fails visibly if it cannot).
                    LogLoadCheckFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PumpEventsAsync(IContainerRuntime runtime, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in runtime.WatchEventsAsync(options.Value.Cluster, stoppingToken))
                {
                    failures = 0;
                    LogContainerEvent(e.Service, e.ContainerId.Length > 12 ? e.ContainerId[..12] : e.ContainerId, e.Action);
                    Wake();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The engine is down or the stream broke: passes go on on their timer (and say why they fail).
                failures++;
                LogEventsBroken(e.Message);
            }

            // The stream ended or broke: the timer keeps passes going meanwhile; re-subscribe after a backoff.
            try
            {
                await Task.Delay(Backoff(Math.Max(failures, 1)), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Docker is unreachable ({Error}); this pass is skipped and nothing is changed, retrying in {Seconds:0.0} s")]
    private partial void LogDockerUnavailable(string error, double seconds);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "The reconcile pass stopped before its next effect: {Reason}")]
    private partial void LogPassStoppedNotLeading(string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Reconcile passes work again after {Failures} failed")]
    private partial void LogPassesWorkAgain(int failures);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "{Error}; this pass is skipped: what runs keeps running and serving, retrying in {Seconds:0.0} s")]
    private partial void LogDependencyUnavailable(string error, double seconds);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "{Error}")]
    private partial void LogConflict(string error);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Error, Message = "A reconcile pass failed; it is skipped and the next one retries in {Seconds:0.0} s, what runs keeps serving")]
    private partial void LogPassFailed(double seconds, Exception error);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Debug, Message = "Reconcile pass failed again ({Failures} in a row), retrying in {Seconds:0.0} s: {Error}")]
    private partial void LogPassFailedAgain(int failures, double seconds, string error);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Debug, Message = "Checking the load between passes failed: {Error}")]
    private partial void LogLoadCheckFailed(string error);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Debug, Message = "Docker's event stream broke; re-subscribing: {Error}")]
    private partial void LogEventsBroken(string error);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "{Service}: load asks for {Asked} replicas, last decided {Decided}: deciding now")]
    private partial void LogLoadRose(string service, int asked, int decided);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "{Service}: container {Container} {Action}")]
    private partial void LogContainerEvent(string service, string container, string action);
}

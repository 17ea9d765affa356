using System.Threading.Channels;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Runs <see cref="Reconciler.ReconcileOnceAsync"/> forever: on a timer, and at once when Docker reports a container
/// event, a removal finishes, a new replica passes its first check, or a service's load rises past its last decision.
/// Events only wake it; every pass re-reads everything (level-triggered). An unreachable engine is retried with
/// capped exponential backoff, and nothing is changed meanwhile. Passes run only while the <see cref="IReconcileGate"/>
/// is open (in cluster mode: while this agent is the controller).
/// </summary>
internal sealed partial class ReconcileLoop(
    Reconciler reconciler,
    HostSet hosts,
    IReconcileGate gate,
    IOptions<ScalerOptions> options,
    TimeProvider time,
    ILogger<ReconcileLoop> logger,
    Metrics.ScalerMetrics? metrics = null) : BackgroundService
{
    // One pending wake-up is enough: a pass reads the whole state anyway.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        reconciler.Changed += Wake;
        var events = Task.WhenAll(hosts.Hosts.Select(h => PumpEventsAsync(h.Runtime, stoppingToken)).Append(WatchLoadAsync(stoppingToken)));
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                metrics?.Leading(gate.IsOpen);
                await gate.WaitOpenAsync(stoppingToken);
                metrics?.Leading(true);
                var plan = await reconciler.ReconcileOnceAsync(stoppingToken);
                if (failures > 0)
                {
                    LogDockerBack(Endpoints);
                }

                failures = 0;
                next = Reconciler.HasStartingReplicas(plan) ? options.Value.StartingPollInterval : options.Value.ResyncInterval;
            }
            catch (RuntimeUnavailableException e)
            {
                metrics?.ReconcileFailed(e);
                failures++;
                next = Backoff(failures);
                LogDockerUnavailable(e.Message, next.TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await WaitAsync(next, stoppingToken);
        }

        reconciler.Changed -= Wake;
        await events;
    }

    private string Endpoints => string.Join(", ", hosts.Hosts.Select(h => h.Runtime.Endpoint));

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(options.Value.MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 10) - 1)));

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
                if (await reconciler.CheckLoadAsync(stoppingToken) is { } rise)
                {
                    LogLoadRose(rise.Service, rise.Asked, rise.Decided);
                    Wake();
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
            catch (Exception e) when (e is RuntimeUnavailableException or IOException or HttpRequestException)
            {
                failures++;
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

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Docker is unreachable ({Error}); nothing is changed, retrying in {Seconds:0} s")]
    private partial void LogDockerUnavailable(string error, double seconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Docker at {Endpoint} answers again")]
    private partial void LogDockerBack(string endpoint);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "{Service}: load asks for {Asked} replicas, last decided {Decided}: deciding now")]
    private partial void LogLoadRose(string service, int asked, int decided);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "{Service}: container {Container} {Action}")]
    private partial void LogContainerEvent(string service, string container, string action);
}

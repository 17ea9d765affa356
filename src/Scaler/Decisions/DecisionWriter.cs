using Bollard.Discovery.Supervision;
using Bollard.Scaler.State;
using Microsoft.Extensions.Logging;

namespace Bollard.Scaler.Decisions;

/// <summary>
/// Writes the decisions queued in the <see cref="DecisionOutbox"/> to the state store (<see cref="DecisionStore"/>),
/// in batches: what arrives within <see cref="BatchWindow"/> of the first goes in one write per service. A batch the
/// store does not take is kept and retried with backoff while new decisions wait in the bounded outbox (its oldest
/// dropped and counted when full): a store outage never slows or fails a reconcile pass. Once an hour it drops what
/// retention no longer keeps, also of services that stopped deciding. A stop writes what is queued (bounded in time),
/// so that the next controller, or this agent restarted, shows it.
/// </summary>
internal sealed partial class DecisionWriter(
    DecisionOutbox outbox,
    DecisionStore store,
    TimeProvider time,
    LoopHealth health,
    ILogger<DecisionWriter> logger) : SupervisedBackgroundService("decision-log", health)
{
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(500);
    private const int MaxBatch = 500;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(3);

    // The batch being written: kept across failures (and a restart of the loop) until the store takes it.
    private readonly List<Decision> _batch = [];
    private long? _lastSweep;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            if (_batch.Count == 0)
            {
                await outbox.Reader.WaitToReadAsync(stoppingToken);
                await Task.Delay(BatchWindow, time, stoppingToken);
            }

            if (await TryWriteAsync(stoppingToken))
            {
                await SweepIfDueAsync(stoppingToken);
                continue;
            }

            await Task.Delay(Status.Backoff(FirstRetry, MaxRetry), time, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false })
        {
            return; // the host's stop timeout ran out before the loop ended: the loop still owns the batch
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(FlushLimit);
        try
        {
            while ((_batch.Count > 0 || outbox.Waiting > 0) && await TryWriteAsync(limit.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: what is left is lost with this process (the log said why the store did not take it).
        }
    }

    /// <summary>Writes the held batch topped up from the outbox; false (recorded and logged when news) when the store refused it.</summary>
    internal async Task<bool> TryWriteAsync(CancellationToken cancellationToken)
    {
        while (_batch.Count < MaxBatch && outbox.Reader.TryRead(out var decision))
        {
            _batch.Add(decision);
        }

        if (_batch.Count == 0)
        {
            return true;
        }

        try
        {
            await store.AppendAsync(_batch, cancellationToken);
            _batch.Clear();
            if (Status.Succeeded() is > 0 and var failures)
            {
                LogWritingAgain(failures, outbox.Dropped);
            }

            return true;
        }
        catch (Exception e) when (e is StateStoreUnavailableException or StateConflictException)
        {
            if (Status.Failed(e))
            {
                LogWriteFailed(_batch.Count, e.Message);
            }

            return false;
        }
    }

    private async Task SweepIfDueAsync(CancellationToken cancellationToken)
    {
        if (_lastSweep is { } last && time.GetElapsedTime(last) < SweepInterval)
        {
            return;
        }

        _lastSweep = time.GetTimestamp();
        try
        {
            await store.SweepAsync(cancellationToken);
        }
        catch (StateStoreUnavailableException e)
        {
            LogSweepFailed(e.Message);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Decisions cannot be written to the state store ({Count} waiting, kept in memory and retried; the oldest are dropped past the queue's bound): {Error}")]
    private partial void LogWriteFailed(int count, string error);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Decisions are written to the state store again after {Failures} failed attempts ({Dropped} dropped in all since the start)")]
    private partial void LogWritingAgain(int failures, long dropped);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Old decisions could not be dropped from the state store (tried again in an hour): {Error}")]
    private partial void LogSweepFailed(string error);
}

namespace Bollard.Discovery.Embedded;

public sealed partial class EmbeddedServiceCatalog
{
    // An upper bound on how long the loop sleeps, so a missed wake-up costs at most this much.
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource stopping = new();
    private readonly Task checkLoop;
    private CancellationTokenSource wake = new();

    /// <summary>
    /// Probes every check that is due, applies the results and forgets registrations critical for too long.
    /// Probes run concurrently and are each bounded by their check's timeout; a result for a registration that was
    /// replaced or removed while it ran is dropped.
    /// </summary>
    internal async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetUtcNow();
        var due = entries.Values.Where(e => e.NextProbeAt <= started).ToList();
        var results = await Task.WhenAll(due.Select(async e => (Entry: e, Passed: await ProbeAsync(e, cancellationToken).ConfigureAwait(false))))
            .ConfigureAwait(false);

        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var next = entries.ToBuilder();
            var statusChanged = false;
            foreach (var (entry, passed) in results)
            {
                var id = entry.Registration.Id;
                if (!next.TryGetValue(id, out var current) || !ReferenceEquals(current, entry))
                {
                    continue;
                }

                var after = entry.AfterProbe(passed, started, now);
                if (after.Passing != entry.Passing)
                {
                    statusChanged = true;
                    LogStatusChanged(logger, id, entry.Registration.Service, after.Passing ? "passing" : "critical");
                }

                next[id] = after;
            }

            foreach (var expired in next.Values.Where(e => e.IsExpired(now)).ToList())
            {
                LogCriticalDeregistered(logger, expired.Registration.Id, expired.Registration.Check.DeregisterCriticalAfter);
                next.Remove(expired.Registration.Id);
                statusChanged = true;
            }

            // New probe times alone change nothing a watcher sees, so they do not wake the watchers.
            Publish(next.ToImmutable(), signal: statusChanged);
        }
    }

    /// <summary>Stops the check loop and waits for it. Safe to call more than once (DI may hold it under two types).</summary>
    public async ValueTask DisposeAsync()
    {
        Dispose();
        await checkLoop.ConfigureAwait(false);
    }

    /// <summary>Stops the check loop without waiting for it; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        // The source is cancelled, never disposed: the loop and racing callers may still read its token.
        if (!stopping.IsCancellationRequested)
        {
            stopping.Cancel();
        }
    }

    private async Task<bool> ProbeAsync(EmbeddedEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await prober.ProbeAsync(entry.Registration.Check, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A prober that throws is a failed probe, not a reason to stop checking every other registration.
            LogProbeThrew(logger, e, entry.Registration.Id);
            return false;
        }
    }

    private async Task RunChecksAsync()
    {
        var stop = stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(stop).ConfigureAwait(false);
                using var wakeOrStop = CancellationTokenSource.CreateLinkedTokenSource(stop, Volatile.Read(ref wake).Token);
                await Task.Delay(DelayUntilNextDue(), timeProvider, wakeOrStop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // Woken by a registration. The old source is not disposed: a racing WakeChecks may still cancel it.
                Interlocked.Exchange(ref wake, new CancellationTokenSource());
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug in one pass must not end health checking for good: log it and try again after a pause.
                LogCheckPassFailed(logger, e);
                await Task.Delay(MaxIdle, timeProvider, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan DelayUntilNextDue()
    {
        var now = timeProvider.GetUtcNow();
        var next = entries.Values.Select(e => e.NextDue).DefaultIfEmpty(now + MaxIdle).Min();
        var delay = next - now;
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < MaxIdle ? delay : MaxIdle;
    }

    private void WakeChecks() => Volatile.Read(ref wake).Cancel();
}

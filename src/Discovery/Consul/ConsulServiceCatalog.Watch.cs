using System.Runtime.CompilerServices;

namespace Bollard.Discovery.Consul;

public sealed partial class ConsulServiceCatalog
{
    /// <summary>
    /// A loop of blocking queries on the service's health. Every response is only a hint that something may have
    /// changed: a snapshot is yielded only when it differs from the last one. Failures never end the stream; they
    /// are logged and retried with capped exponential backoff, keeping the last index.
    /// </summary>
    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(
        string service,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var limiter = new BlockingQueryRateLimiter(consul.Options.MinQueryInterval);
        ServiceSnapshot? last = null;
        ulong index = 0;
        var failures = 0;
        while (true)
        {
            await DelayAsync(limiter.Acquire(timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            var result = await TryQueryHealthyAsync(service, index, failures + 1, cancellationToken).ConfigureAwait(false);
            if (result is not { } answer)
            {
                failures++;
                await DelayAsync(RetryBackoff.Delay(failures, consul.Options.MaxRetryBackoff), cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            if (failures > 0)
            {
                LogWatchRecovered(logger, service, failures);
                failures = 0;
            }

            var next = BlockingQueryIndex.Next(index, answer.Index);
            if (next == 0)
            {
                LogIndexWentBackwards(logger, service, index, answer.Index);
            }

            index = next;
            if (!answer.Snapshot.Equals(last))
            {
                last = answer.Snapshot;
                yield return last;
            }
        }
    }

    private async Task<(ServiceSnapshot Snapshot, ulong Index)?> TryQueryHealthyAsync(
        string service,
        ulong index,
        int attempt,
        CancellationToken cancellationToken)
    {
        try
        {
            return await QueryHealthyAsync(service, index, cancellationToken).ConfigureAwait(false);
        }
        catch (CatalogUnavailableException e)
        {
            LogWatchFailed(logger, service, attempt, e.Message);
            return null;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, timeProvider, cancellationToken);
}

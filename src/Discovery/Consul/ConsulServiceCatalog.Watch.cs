using System.Runtime.CompilerServices;

namespace Bollard.Discovery.Consul;

public sealed partial class ConsulServiceCatalog
{
    /// <summary>
    /// A loop of blocking queries on the service's health (<see cref="BlockingQueryLoop"/>). Every response is only a
    /// hint that something may have changed: a snapshot is yielded only when it differs from the last one. Failures
    /// never end the stream; they are logged and retried with capped exponential backoff, keeping the last index.
    /// </summary>
    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(
        string service,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var log = new BlockingQueryLog(
            (attempt, reason) => LogWatchFailed(logger, service, attempt, reason),
            failures => LogWatchRecovered(logger, service, failures),
            (previous, returned) => LogIndexWentBackwards(logger, service, previous, returned));
        ServiceSnapshot? last = null;
        var answers = BlockingQueryLoop.RunAsync(
            (index, cancel) => QueryHealthyAsync(service, index, cancel), consul.Options, timeProvider, log, cancellationToken);
        await foreach (var snapshot in answers.ConfigureAwait(false))
        {
            if (!snapshot.Equals(last))
            {
                last = snapshot;
                yield return last;
            }
        }
    }
}

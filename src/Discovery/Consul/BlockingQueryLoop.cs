using System.Runtime.CompilerServices;

namespace Bollard.Discovery.Consul;

/// <summary>How a watch reports its loop's trouble, in its own words and event ids.</summary>
/// <param name="Failed">A query failed: the consecutive failure count so far and why.</param>
/// <param name="Recovered">A query worked again after this many failures.</param>
/// <param name="IndexWentBackwards">Consul's index fell from the first value to the second; the next query re-reads.</param>
internal sealed record BlockingQueryLog(Action<int, string> Failed, Action<int> Recovered, Action<ulong, ulong> IndexWentBackwards);

/// <summary>
/// The loop of Consul blocking queries every watch runs: each query waits at the index of the last answer
/// (<see cref="BlockingQueryIndex"/>: reset to 0 when it goes backwards, never 0 after an answer), queries are paced
/// by <see cref="BlockingQueryRateLimiter"/>, and a failed one is retried after capped exponential backoff
/// (<see cref="RetryBackoff"/>) at the same index. Failures never end the loop; only cancellation does.
/// </summary>
internal static class BlockingQueryLoop
{
    /// <summary>
    /// Yields every answer of <paramref name="query"/> (called with the index to block on). An answer is only a hint
    /// that something may have changed: the caller compares it with the last one.
    /// </summary>
    public static async IAsyncEnumerable<T> RunAsync<T>(
        Func<ulong, CancellationToken, Task<(T Value, ulong Index)>> query,
        ConsulOptions options,
        TimeProvider time,
        BlockingQueryLog log,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limiter = new BlockingQueryRateLimiter(options.MinQueryInterval);
        ulong index = 0;
        var failures = 0;
        while (true)
        {
            await DelayAsync(limiter.Acquire(time.GetUtcNow()), time, cancellationToken).ConfigureAwait(false);
            (T Value, ulong Index) answer;
            try
            {
                answer = await query(index, cancellationToken).ConfigureAwait(false);
            }
            catch (CatalogUnavailableException e)
            {
                failures++;
                log.Failed(failures, e.Message);
                await DelayAsync(RetryBackoff.Delay(failures, options.MaxRetryBackoff), time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (failures > 0)
            {
                log.Recovered(failures);
                failures = 0;
            }

            var next = BlockingQueryIndex.Next(index, answer.Index);
            if (next == 0)
            {
                log.IndexWentBackwards(index, answer.Index);
            }

            index = next;
            yield return answer.Value;
        }
    }

    private static Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
}

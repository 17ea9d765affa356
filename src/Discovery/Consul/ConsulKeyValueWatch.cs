using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Consul;

/// <summary>
/// Blocking queries on a KV prefix: every entry under it, re-read each time Consul's index moves. The same loop
/// (<see cref="BlockingQueryLoop"/>) as <see cref="ConsulServiceCatalog.WatchHealthyAsync"/>; kept apart from
/// <see cref="ConsulKeyValueStore"/>, whose calls are all plain reads and writes.
/// </summary>
public sealed partial class ConsulKeyValueWatch
{
    private readonly ConsulHttpClient consul;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <param name="http">Used as is; its own Timeout must exceed <see cref="ConsulOptions.BlockingWait"/> (or be infinite).</param>
    /// <param name="options">Validated here; invalid options throw <see cref="ArgumentException"/>.</param>
    /// <param name="timeProvider">Clock for timeouts, rate limiting and backoff; the system clock when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public ConsulKeyValueWatch(HttpClient http, ConsulOptions options, TimeProvider? timeProvider = null, ILogger<ConsulKeyValueWatch>? logger = null)
    {
        this.timeProvider = timeProvider ?? TimeProvider.System;
        consul = new ConsulHttpClient(http, options, this.timeProvider);
        this.logger = logger ?? NullLogger<ConsulKeyValueWatch>.Instance;
    }

    /// <summary>
    /// Every entry under <paramref name="prefix"/> in key order, and the index to block on next. Index 0 is a plain
    /// read; any other blocks until the prefix changes past it or <see cref="ConsulOptions.BlockingWait"/> ends.
    /// </summary>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached or answered nonsense.</exception>
    public async Task<KeyValueListing> ListAsync(string prefix, ulong index, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var wait = consul.Options.BlockingWait;
        var blocking = BlockingQueryIndex.Query(index, wait);
        var query = blocking.Length == 0 ? "recurse=true" : $"recurse=true&{blocking}";

        // Consul may hold a blocking query for wait + wait/16; the timeout covers that plus a normal request's margin.
        var timeout = index == 0 ? consul.Options.RequestTimeout : wait + (wait / 16) + consul.Options.RequestTimeout;
        var path = "/v1/kv/" + string.Join('/', prefix.Split('/').Select(Uri.EscapeDataString));
        var response = await consul.SendAsync(HttpMethod.Get, path, query, null, cancellationToken, notFoundIsAnswer: true, timeout: timeout)
            .ConfigureAwait(false);

        // A missing prefix is a 404 that still carries an index to block on.
        if (response.IsNotFound || response.Body.Length == 0)
        {
            return new KeyValueListing([], response.Index);
        }

        KeyValueDto[] entries;
        try
        {
            entries = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.KeyValueDtoArray) ?? [];
        }
        catch (JsonException e)
        {
            throw new CatalogUnavailableException($"Consul at {consul.Options.Address} sent an unreadable answer: {e.Message}", e);
        }

        return new KeyValueListing(
            [.. entries.Select(e => new KeyValueEntry(e.Key, e.Value ?? [], e.ModifyIndex, e.Session)).OrderBy(e => e.Key, StringComparer.Ordinal)],
            response.Index);
    }

    /// <summary>
    /// The entries under <paramref name="prefix"/>: the current ones first (possibly none), then again each time a
    /// key was added, removed or written. Failures never end the stream; they are logged and retried with capped
    /// exponential backoff, keeping the last index. Ends only on cancellation.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<KeyValueEntry>> WatchPrefixAsync(
        string prefix,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var log = new BlockingQueryLog(
            (attempt, reason) => LogWatchFailed(logger, prefix, attempt, reason),
            failures => LogWatchRecovered(logger, prefix, failures),
            (previous, returned) => LogIndexWentBackwards(logger, prefix, previous, returned));
        IReadOnlyList<KeyValueEntry>? last = null;
        var answers = BlockingQueryLoop.RunAsync(
            async (index, cancel) =>
            {
                var listing = await ListAsync(prefix, index, cancel).ConfigureAwait(false);
                return (listing.Entries, listing.Index);
            },
            consul.Options,
            timeProvider,
            log,
            cancellationToken);

        // The index moves on writes anywhere in the datacenter's KV; only a change of these entries is news.
        await foreach (var entries in answers.ConfigureAwait(false))
        {
            if (last is null || !SameEntries(last, entries))
            {
                last = entries;
                yield return last;
            }
        }
    }

    private static bool SameEntries(IReadOnlyList<KeyValueEntry> a, IReadOnlyList<KeyValueEntry> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Key != b[i].Key || a[i].ModifyIndex != b[i].ModifyIndex)
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Watching KV prefix {Prefix} failed (attempt {Attempt}); retrying with backoff: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string prefix, int attempt, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Watching KV prefix {Prefix} works again after {Failures} failed attempts")]
    private static partial void LogWatchRecovered(ILogger logger, string prefix, int failures);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "Consul index of KV prefix {Prefix} went backwards ({Previous} -> {Returned}); re-reading from scratch")]
    private static partial void LogIndexWentBackwards(ILogger logger, string prefix, ulong previous, ulong returned);
}

/// <summary>The entries under a KV prefix and the Consul index of that answer.</summary>
/// <param name="Entries">The entries, in key order.</param>
/// <param name="Index">The <c>X-Consul-Index</c> of the answer.</param>
public sealed record KeyValueListing(IReadOnlyList<KeyValueEntry> Entries, ulong Index);

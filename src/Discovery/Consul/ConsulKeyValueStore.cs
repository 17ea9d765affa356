using System.Globalization;
using System.Text.Json;

namespace Bollard.Discovery.Consul;

/// <summary>
/// Consul's KV store: plain reads and writes, check-and-set writes for optimistic concurrency (the desired-state
/// store) and session locks (leader election). Failures throw <see cref="CatalogUnavailableException"/>.
/// </summary>
public sealed class ConsulKeyValueStore
{
    private readonly ConsulHttpClient consul;

    public ConsulKeyValueStore(HttpClient http, ConsulOptions options, TimeProvider? timeProvider = null)
    {
        consul = new ConsulHttpClient(http, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The entry at <paramref name="key"/>, or null when there is none.</summary>
    public async Task<KeyValueEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, key, string.Empty, null, cancellationToken).ConfigureAwait(false);
        if (response.IsNotFound)
        {
            return null;
        }

        var entries = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.KeyValueDtoArray);
        return entries is [var entry, ..]
            ? new KeyValueEntry(entry.Key, entry.Value ?? [], entry.ModifyIndex, entry.Session)
            : null;
    }

    /// <summary>Every entry whose key starts with <paramref name="prefix"/> (none: an empty list), in key order.</summary>
    public async Task<IReadOnlyList<KeyValueEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, prefix, "recurse=true", null, cancellationToken).ConfigureAwait(false);
        if (response.IsNotFound)
        {
            return [];
        }

        var entries = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.KeyValueDtoArray) ?? [];
        return [.. entries.Select(e => new KeyValueEntry(e.Key, e.Value ?? [], e.ModifyIndex, e.Session)).OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>Writes <paramref name="value"/> unconditionally.</summary>
    public Task PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        WriteAsync(key, string.Empty, value, cancellationToken);

    /// <summary>
    /// Writes only if the key's ModifyIndex is still <paramref name="expectedModifyIndex"/> (0: only if the key does
    /// not exist). False when someone else wrote first: re-read and decide again.
    /// </summary>
    public Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedModifyIndex, CancellationToken cancellationToken) =>
        WriteAsync(key, Invariant($"cas={expectedModifyIndex}"), value, cancellationToken);

    /// <summary>Takes the lock on <paramref name="key"/> for <paramref name="sessionId"/>; false when another session holds it.</summary>
    public Task<bool> TryAcquireAsync(string key, string sessionId, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        WriteAsync(key, $"acquire={Uri.EscapeDataString(sessionId)}", value, cancellationToken);

    /// <summary>
    /// Takes the lock on <paramref name="key"/> for <paramref name="sessionId"/> and writes <paramref name="value"/>,
    /// in one transaction that holds only while the same session still holds <paramref name="fenceKey"/>: a write
    /// fenced on a lock (e.g. the controller's commands on the leader lock). False when the session no longer holds
    /// the fence (it ended, or lost the lock) or another session holds <paramref name="key"/>: nothing was written.
    /// </summary>
    public async Task<bool> TryAcquireFencedAsync(string key, string sessionId, ReadOnlyMemory<byte> value, string fenceKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(fenceKey);
        TxnOperation[] operations =
        [
            new(new TxnKeyValue("check-session", fenceKey, null, sessionId)),
            new(new TxnKeyValue("lock", key, value.ToArray(), sessionId)),
        ];
        using var body = ConsulHttpClient.Json(operations, ConsulJsonContext.Default.TxnOperationArray);

        // Consul answers 409 when the transaction was rolled back (a check or the lock failed), with the reasons.
        var response = await consul.SendAsync(HttpMethod.Put, "/v1/txn", string.Empty, body, cancellationToken, conflictIsAnswer: true)
            .ConfigureAwait(false);
        return !response.IsConflict;
    }

    /// <summary>Releases the lock on <paramref name="key"/>; false when <paramref name="sessionId"/> did not hold it.</summary>
    public Task<bool> ReleaseAsync(string key, string sessionId, CancellationToken cancellationToken) =>
        WriteAsync(key, $"release={Uri.EscapeDataString(sessionId)}", ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Deletes the key; deleting a missing key is not an error.</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, key, string.Empty, null, cancellationToken);

    /// <summary>
    /// Deletes the key only if its ModifyIndex is still <paramref name="expectedModifyIndex"/>; false when someone wrote
    /// it since (or it is gone).
    /// </summary>
    public async Task<bool> TryDeleteAsync(string key, ulong expectedModifyIndex, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Delete, key, Invariant($"cas={expectedModifyIndex}"), null, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.Boolean);
    }

    /// <summary>Deletes every key under <paramref name="prefix"/>.</summary>
    public Task DeleteTreeAsync(string prefix, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, prefix, "recurse=true", null, cancellationToken);

    private async Task<bool> WriteAsync(string key, string query, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        using var body = new ReadOnlyMemoryContent(value);
        var response = await SendAsync(HttpMethod.Put, key, query, body, cancellationToken).ConfigureAwait(false);

        // Consul answers a write with the JSON literal true or false.
        return JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.Boolean);
    }

    private Task<ConsulResponse> SendAsync(HttpMethod method, string key, string query, HttpContent? body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var path = "/v1/kv/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return consul.SendAsync(method, path, query, body, cancellationToken, notFoundIsAnswer: method == HttpMethod.Get);
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

namespace Bollard.Scaler.State;

/// <summary>
/// Durable key/value state (desired specs, rollout state) with optimistic concurrency: every write names the version
/// it expects, so two writers can never silently overwrite each other. Two adapters: <see cref="LocalStateStore"/>
/// (files under the state directory, one host) and <see cref="ConsulStateStore"/> (Consul KV with check-and-set).
/// Keys are <see cref="StateKeys">slash-separated names</see>, e.g. <c>desired/specs</c> or <c>rollouts/web</c>.
/// </summary>
public interface IStateStore
{
    /// <summary>The entry at <paramref name="key"/>, or null when there is none.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read.</exception>
    Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes only if the key's version is still <paramref name="expectedVersion"/> (0: only if the key does not
    /// exist). False when another writer came first: re-read and decide again.
    /// </summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be written.</exception>
    Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes the key; deleting a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in key order.</summary>
    Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// The entry at <paramref name="key"/> now (null: none), then again each time it is written or deleted, until
    /// cancelled: a blocking watch (Consul's blocking queries; the local store is woken by this process's own writes,
    /// its only writer). Consul failures are retried inside the watch with backoff (the stream just pauses); a local
    /// read that fails throws <see cref="StateStoreUnavailableException"/>, and the caller watches again.
    /// </summary>
    IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken);
}

/// <summary>One stored value.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The bytes.</param>
/// <param name="Version">Grows with every write of the key (never 0 for a stored key); pass it to a CAS write.</param>
public sealed record StateEntry(string Key, ReadOnlyMemory<byte> Value, ulong Version);

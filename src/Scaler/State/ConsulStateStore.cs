using System.Runtime.CompilerServices;
using Bollard.Discovery;
using Bollard.Discovery.Consul;

namespace Bollard.Scaler.State;

/// <summary>
/// The state store in Consul KV under <c>bollard/&lt;cluster&gt;/state/</c>: the version is the key's ModifyIndex and a
/// write is a check-and-set, so every daemon of the cluster sees the same state and concurrent writers cannot clash.
/// A watch is a blocking query on the key (<see cref="ConsulKeyValueWatch"/>).
/// </summary>
public sealed class ConsulStateStore(ConsulKeyValueStore kv, ConsulKeyValueWatch watch, string cluster) : IStateStore
{
    private readonly string _prefix = ClusterKeys.StatePrefix(cluster);

    public async Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        var entry = await Guard(() => kv.GetAsync(_prefix + key, cancellationToken));
        return entry is null ? null : new StateEntry(key, entry.Value, entry.ModifyIndex);
    }

    public Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        return Guard(() => kv.TryPutAsync(_prefix + key, value, expectedVersion, cancellationToken));
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        return Guard(async () =>
        {
            await kv.DeleteAsync(_prefix + key, cancellationToken);
            return true;
        });
    }

    public async Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var entries = await Guard(() => kv.ListAsync(_prefix + prefix, cancellationToken));
        return [.. entries.Select(e => new StateEntry(e.Key[_prefix.Length..], e.Value, e.ModifyIndex))];
    }

    public async IAsyncEnumerable<StateEntry?> WatchAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StateKeys.Validate(key);
        var full = _prefix + key;
        var first = true;
        ulong? last = null;

        // The key as the prefix: keys that merely start with it (a longer last segment) are left out.
        await foreach (var entries in watch.WatchPrefixAsync(full, cancellationToken))
        {
            var entry = entries.FirstOrDefault(e => e.Key == full);
            if (!first && entry?.ModifyIndex == last)
            {
                continue;
            }

            first = false;
            last = entry?.ModifyIndex;
            yield return entry is null ? null : new StateEntry(key, entry.Value, entry.ModifyIndex);
        }
    }

    internal static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (CatalogUnavailableException e)
        {
            throw new StateStoreUnavailableException(e.Message, e);
        }
    }
}

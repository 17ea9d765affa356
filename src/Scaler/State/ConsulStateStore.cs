using Bollard.Discovery;
using Bollard.Discovery.Consul;

namespace Bollard.Scaler.State;

/// <summary>
/// The state store in Consul KV under <c>bollard/&lt;cluster&gt;/state/</c>: the version is the key's ModifyIndex and a
/// write is a check-and-set, so every daemon of the cluster sees the same state and concurrent writers cannot clash.
/// </summary>
public sealed class ConsulStateStore(ConsulKeyValueStore kv, string cluster) : IStateStore
{
    private readonly string _prefix = $"bollard/{cluster}/state/";

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

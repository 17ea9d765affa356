using Bollard.Scaler.Secrets;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Scaler.Tests.Secrets;

public sealed class SecretKeyCheckTests
{
    [Fact]
    public async Task The_first_agent_records_its_key_and_an_agent_with_another_key_refuses_to_start()
    {
        var store = new InMemoryStateStore();
        var key = SecretKey.Ephemeral();

        await new SecretKeyCheck(key, store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default);
        await new SecretKeyCheck(key, store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default);
        var refused = await Assert.ThrowsAsync<SecretKeyException>(() => new SecretKeyCheck(SecretKey.Ephemeral(), store, NullLogger<SecretKeyCheck>.Instance).StartingAsync(default));

        Assert.Contains($"fingerprint {key.Fingerprint}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("copy it from a host of the cluster", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_at_start_postpones_the_check_to_before_the_passes()
    {
        var store = new SwitchedStore();
        var check = new SecretKeyCheck(SecretKey.Ephemeral(), store, NullLogger<SecretKeyCheck>.Instance);

        await check.StartingAsync(default);
        await Assert.ThrowsAsync<StateStoreUnavailableException>(() => check.EnsureAsync(default));

        store.Up = true;
        await check.EnsureAsync(default);
        Assert.NotNull(await store.GetAsync(StateKeys.SecretsKeyFingerprint, default));
    }

    private sealed class SwitchedStore : IStateStore
    {
        private readonly InMemoryStateStore _inner = new();

        public bool Up { get; set; }

        public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => Up ? _inner.GetAsync(key, cancellationToken) : throw Down();

        public Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken) =>
            Up ? _inner.TryPutAsync(key, value, expectedVersion, cancellationToken) : throw Down();

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => Up ? _inner.DeleteAsync(key, cancellationToken) : throw Down();

        public Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken) => Up ? _inner.ListAsync(prefix, cancellationToken) : throw Down();

        public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken) => Up ? _inner.WatchAsync(key, cancellationToken) : throw Down();

        private static StateStoreUnavailableException Down() => new("Consul cannot be reached");
    }
}

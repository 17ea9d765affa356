using System.Text;
using Bollard.Discovery.Consul;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>KV reads, writes and check-and-set against the real agent, under a prefix removed afterwards.</summary>
public sealed class ConsulKeyValueStoreTests : IAsyncLifetime
{
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string prefix = TestEnvironment.UniqueName("kv");
    private readonly ConsulKeyValueStore store;

    public ConsulKeyValueStoreTests()
    {
        store = new ConsulKeyValueStore(http, ConsulTestOptions.Create());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await store.DeleteTreeAsync(prefix, CancellationToken.None);
        http.Dispose();
    }

    [Fact]
    public async Task Put_then_get_returns_the_value_and_its_modify_index()
    {
        var key = $"{prefix}/desired/web";

        await store.PutAsync(key, Bytes("replicas: 3"), CancellationToken.None);
        var entry = await store.GetAsync(key, CancellationToken.None);

        Assert.NotNull(entry);
        Assert.Equal(key, entry.Key);
        Assert.Equal("replicas: 3", Text(entry.Value));
        Assert.True(entry.ModifyIndex > 0);
        Assert.Null(entry.Session);
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_null()
    {
        Assert.Null(await store.GetAsync($"{prefix}/missing", CancellationToken.None));
    }

    [Fact]
    public async Task Check_and_set_succeeds_on_the_current_index_and_fails_on_a_stale_one()
    {
        var key = $"{prefix}/cas";
        await store.PutAsync(key, Bytes("v1"), CancellationToken.None);
        var read = (await store.GetAsync(key, CancellationToken.None))!;

        Assert.True(await store.TryPutAsync(key, Bytes("v2"), read.ModifyIndex, CancellationToken.None));
        Assert.False(await store.TryPutAsync(key, Bytes("v3"), read.ModifyIndex, CancellationToken.None));

        Assert.Equal("v2", Text((await store.GetAsync(key, CancellationToken.None))!.Value));
    }

    [Fact]
    public async Task Check_and_set_with_index_zero_creates_only_a_missing_key()
    {
        var key = $"{prefix}/create-once";

        Assert.True(await store.TryPutAsync(key, Bytes("first"), 0, CancellationToken.None));
        Assert.False(await store.TryPutAsync(key, Bytes("second"), 0, CancellationToken.None));

        Assert.Equal("first", Text((await store.GetAsync(key, CancellationToken.None))!.Value));
    }

    [Fact]
    public async Task Delete_removes_the_key_and_deleting_a_missing_key_is_fine()
    {
        var key = $"{prefix}/gone";
        await store.PutAsync(key, Bytes("x"), CancellationToken.None);

        await store.DeleteAsync(key, CancellationToken.None);
        await store.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await store.GetAsync(key, CancellationToken.None));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);
}

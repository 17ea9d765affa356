using System.Text;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Tests.State;

public sealed class LocalStateStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-state-{Guid.NewGuid():N}");
    private readonly LocalStateStore _store;

    public LocalStateStoreTests()
    {
        _store = new LocalStateStore(_directory);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Create_only_then_versions_grow_with_each_write()
    {
        Assert.Null(await _store.GetAsync("rollouts/web", default));
        Assert.True(await _store.TryPutAsync("rollouts/web", Bytes("v1"), 0, default));
        Assert.False(await _store.TryPutAsync("rollouts/web", Bytes("again"), 0, default));

        var first = (await _store.GetAsync("rollouts/web", default))!;
        Assert.Equal(1UL, first.Version);
        Assert.True(await _store.TryPutAsync("rollouts/web", Bytes("v2"), first.Version, default));

        var second = (await _store.GetAsync("rollouts/web", default))!;
        Assert.Equal(2UL, second.Version);
        Assert.Equal("v2", Text(second.Value));
    }

    [Fact]
    public async Task A_stale_version_is_refused_and_the_value_kept()
    {
        await _store.TryPutAsync("desired/specs", Bytes("a"), 0, default);
        await _store.TryPutAsync("desired/specs", Bytes("b"), 1, default);

        Assert.False(await _store.TryPutAsync("desired/specs", Bytes("stale"), 1, default));
        Assert.Equal("b", Text((await _store.GetAsync("desired/specs", default))!.Value));
    }

    [Fact]
    public async Task Concurrent_writers_on_one_version_exactly_one_wins()
    {
        await _store.TryPutAsync("k", Bytes("0"), 0, default);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => _store.TryPutAsync("k", Bytes($"{i}"), 1, default))));

        Assert.Single(results, r => r);
        Assert.Equal(2UL, (await _store.GetAsync("k", default))!.Version);
    }

    [Fact]
    public async Task A_write_replaces_the_file_atomically_and_leaves_no_temp_file()
    {
        await _store.TryPutAsync("rollouts/web", Bytes(new string('x', 100_000)), 0, default);
        await _store.TryPutAsync("rollouts/web", Bytes("short"), 1, default);

        var files = Directory.GetFiles(Path.Combine(_directory, "state"));
        Assert.Equal(["rollouts~web.state"], files.Select(Path.GetFileName));
        Assert.Equal("short", Text((await _store.GetAsync("rollouts/web", default))!.Value));
    }

    [Fact]
    public async Task Values_survive_a_new_store_on_the_same_directory()
    {
        await _store.TryPutAsync("desired/specs", Bytes("kept"), 0, default);

        using var reopened = new LocalStateStore(_directory);
        var entry = await reopened.GetAsync("desired/specs", default);

        Assert.Equal(("kept", 1UL), (Text(entry!.Value), entry.Version));
    }

    [Fact]
    public async Task List_returns_the_keys_under_a_prefix_in_order_and_delete_removes()
    {
        await _store.TryPutAsync("rollouts/web", Bytes("w"), 0, default);
        await _store.TryPutAsync("rollouts/api", Bytes("a"), 0, default);
        await _store.TryPutAsync("desired/specs", Bytes("d"), 0, default);

        Assert.Equal(["rollouts/api", "rollouts/web"], (await _store.ListAsync("rollouts/", default)).Select(e => e.Key));

        await _store.DeleteAsync("rollouts/api", default);
        await _store.DeleteAsync("rollouts/missing", default);
        Assert.Equal(["rollouts/web"], (await _store.ListAsync("rollouts/", default)).Select(e => e.Key));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a//b")]
    [InlineData("Upper")]
    [InlineData("a/./b")]
    public async Task Keys_that_could_escape_or_collide_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.GetAsync(key, default));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}

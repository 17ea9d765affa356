using System.Text;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Discovery;
using Bollard.Scaler.State;

namespace Bollard.IntegrationTests.State;

/// <summary>The Consul state store and audit log against the real agent, in a cluster named after the run, removed afterwards.</summary>
public sealed class ConsulStateStoreTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _cluster = TestEnvironment.UniqueName("state");
    private readonly ConsulKeyValueStore _kv;
    private readonly ConsulStateStore _store;
    private readonly ConsulAuditLog _audit;

    public ConsulStateStoreTests()
    {
        _kv = new ConsulKeyValueStore(_http, ConsulTestOptions.Create());
        _store = new ConsulStateStore(_kv, new ConsulKeyValueWatch(_http, ConsulTestOptions.Create()), _cluster);
        _audit = new ConsulAuditLog(_kv, _cluster);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _kv.DeleteTreeAsync(ClusterKeys.ClusterPrefix(_cluster), CancellationToken.None);
        _http.Dispose();
    }

    [Fact]
    public async Task Check_and_set_creates_once_then_needs_the_current_version()
    {
        Assert.Null(await _store.GetAsync("rollouts/web", default));
        Assert.True(await _store.TryPutAsync("rollouts/web", Bytes("v1"), 0, default));
        Assert.False(await _store.TryPutAsync("rollouts/web", Bytes("v1 again"), 0, default));

        var entry = (await _store.GetAsync("rollouts/web", default))!;
        Assert.True(await _store.TryPutAsync("rollouts/web", Bytes("v2"), entry.Version, default));
        Assert.False(await _store.TryPutAsync("rollouts/web", Bytes("stale"), entry.Version, default));

        var now = (await _store.GetAsync("rollouts/web", default))!;
        Assert.Equal("v2", Encoding.UTF8.GetString(now.Value.Span));
        Assert.True(now.Version > entry.Version);
    }

    [Fact]
    public async Task List_and_delete_stay_under_the_cluster_prefix()
    {
        await _store.TryPutAsync("rollouts/web", Bytes("w"), 0, default);
        await _store.TryPutAsync("rollouts/api", Bytes("a"), 0, default);
        await _store.TryPutAsync("desired/specs", Bytes("d"), 0, default);

        Assert.Equal(["rollouts/api", "rollouts/web"], (await _store.ListAsync("rollouts/", default)).Select(e => e.Key));
        Assert.NotNull(await _kv.GetAsync($"bollard/{_cluster}/state/desired/specs", default));

        await _store.DeleteAsync("rollouts/api", default);
        Assert.Equal(["rollouts/web"], (await _store.ListAsync("rollouts/", default)).Select(e => e.Key));
        Assert.Empty(await _store.ListAsync("nothing/", default));
    }

    [Fact]
    public async Task A_watch_blocks_until_its_key_changes_and_ignores_keys_that_only_start_like_it()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var watch = _store.WatchAsync("desired/specs", stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Null(watch.Current);

        var next = watch.MoveNextAsync().AsTask();
        await _store.TryPutAsync("desired/specs2", Bytes("other"), 0, default);
        await _store.TryPutAsync("rollouts/web", Bytes("other"), 0, default);
        await _store.TryPutAsync("desired/specs", Bytes("one"), 0, default);
        Assert.True(await next);
        Assert.Equal("one", Encoding.UTF8.GetString(watch.Current!.Value.Span));

        // Yields once per change of the key itself, at once (a blocking query, not a poll).
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await _store.TryPutAsync("desired/specs", Bytes("two"), watch.Current.Version, default);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("two", Encoding.UTF8.GetString(watch.Current!.Value.Span));
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));

        await _store.DeleteAsync("desired/specs", default);
        Assert.True(await watch.MoveNextAsync());
        Assert.Null(watch.Current);
    }

    [Fact]
    public async Task Audit_entries_at_the_same_instant_are_all_kept_in_order()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            await _audit.AppendAsync(new AuditEntry(at, "alice", "apply", i == 1 ? "api" : "web", $"change {i}", "ok"), default);
        }

        Assert.Equal(["change 0", "change 1", "change 2"], (await _audit.ReadAsync(null, 10, default)).Select(e => e.Details));
        Assert.Equal(["change 2"], (await _audit.ReadAsync("web", 1, default)).Select(e => e.Details));
        Assert.Equal(3, (await _kv.ListAsync($"bollard/{_cluster}/audit/", default)).Count);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}

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
        _store = new ConsulStateStore(_kv, _cluster);
        _audit = new ConsulAuditLog(_kv, _cluster);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _kv.DeleteTreeAsync($"bollard/{_cluster}/", CancellationToken.None);
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

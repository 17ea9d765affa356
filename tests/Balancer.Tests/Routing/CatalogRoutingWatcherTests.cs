using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Balancer.Weights;
using Bollard.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Routing;

public sealed class CatalogRoutingWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeServiceCatalog _catalog = new();
    private readonly InMemoryServiceRouteSource _routes = new([new("a", null, "/a"), new("b", null, "/b")]);
    private readonly SnapshotProxyConfigProvider _provider = new();
    private readonly InMemoryVersionWeights _weights = new();
    private readonly CatalogRoutingWatcher _watcher;

    public CatalogRoutingWatcherTests()
    {
        _watcher = new CatalogRoutingWatcher(
            _catalog,
            _routes,
            _weights,
            _provider,
            _time,
            Options.Create(new BalancerOptions { RoutingDebounce = Debounce, WatchRetryDelay = RetryDelay }),
            NullLogger<CatalogRoutingWatcher>.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _watcher.StopAsync(CancellationToken.None);
        _watcher.Dispose();
    }

    [Fact]
    public void RebuildOnce_publishes_only_when_something_changed()
    {
        _watcher.Apply(new ServiceSnapshot("a", [Instance("a", "a1")]));

        Assert.True(_watcher.RebuildOnce());
        Assert.False(_watcher.RebuildOnce());
        Assert.Equal(["a1"], Ids("a"));
        Assert.Empty(_provider.Snapshot.Find("b")!.Destinations);
    }

    [Fact]
    public void RebuildOnce_keeps_the_last_good_snapshot_when_the_routes_are_invalid()
    {
        _watcher.Apply(new ServiceSnapshot("a", [Instance("a", "a1")]));
        _watcher.RebuildOnce();
        var good = _provider.Snapshot;

        _routes.Update([new("a", null, "/a"), new("a", null, "/again")]);
        _watcher.Apply(new ServiceSnapshot("a", [Instance("a", "a2")]));

        Assert.False(_watcher.RebuildOnce());
        Assert.Same(good, _provider.Snapshot);
    }

    [Fact]
    public async Task A_burst_of_changes_is_published_once_after_the_debounce()
    {
        await StartAsync();
        await Eventually.TrueAsync(() => _provider.Revision == 1, "the first rebuild is published at once");

        _catalog.Push("a", Instance("a", "a1"));
        _catalog.Push("a", Instance("a", "a1"), Instance("a", "a2"));
        _catalog.Push("a", Instance("a", "a2"), Instance("a", "a3"));
        await Eventually.TrueAsync(() => _catalog.Consumed("a") == 3, "the watcher took all three snapshots");

        // Virtual time has not moved, so the debounce after the first rebuild cannot have elapsed: nothing new yet.
        Assert.Equal(1, _provider.Revision);

        await Eventually.TrueAsync(_time, Debounce, () => _provider.Revision > 1, "the snapshot is published");

        Assert.Equal(2, _provider.Revision);
        Assert.Equal(["a2", "a3"], Ids("a"));
    }

    [Fact]
    public async Task A_lone_change_after_a_quiet_spell_is_published_without_waiting()
    {
        await StartAsync();
        await Eventually.TrueAsync(() => _provider.Revision == 1, "the first rebuild is published at once");
        _time.Advance(Debounce);

        _catalog.Push("a", Instance("a", "a1"));

        // Virtual time does not move here: the change is published without any debounce.
        await Eventually.TrueAsync(() => Ids("a").SequenceEqual(["a1"]), "the change is published");
    }

    [Fact]
    public async Task A_removed_route_stops_its_watch_and_drops_its_destinations()
    {
        await StartAsync();
        _catalog.Push("a", Instance("a", "a1"));
        _catalog.Push("b", Instance("b", "b1"));
        await Eventually.TrueAsync(_time, Debounce, () => Ids("a").Length == 1 && Ids("b").Length == 1, "both services are routed");

        _routes.Update([new("a", null, "/a")]);

        await Eventually.TrueAsync(_time, Debounce, () => _provider.Snapshot.Find("b") is null, "b is no longer routed");
        await Eventually.TrueAsync(() => _catalog.ActiveWatches("b") == 0, "b's watch is stopped");
        Assert.Equal(["a1"], Ids("a"));

        // Routed again: it starts from nothing known, not from the stale destinations of its previous life.
        _routes.Update([new("a", null, "/a"), new("b", null, "/b")]);
        await Eventually.TrueAsync(_time, Debounce, () => _provider.Snapshot.Find("b") is not null, "b is routed again");
        Assert.Empty(Ids("b"));
        await Eventually.TrueAsync(() => _catalog.WatchesStarted("b") == 2, "b is watched again");
    }

    [Fact]
    public async Task A_failing_watch_keeps_the_last_known_destinations_and_is_reopened()
    {
        await StartAsync();
        _catalog.Push("a", Instance("a", "a1"));
        _catalog.Push("b", Instance("b", "b1"));
        await Eventually.TrueAsync(_time, Debounce, () => Ids("a").Length == 1 && Ids("b").Length == 1, "both services are routed");

        _catalog.Fail("a", new CatalogUnavailableException("connection refused"));
        await Eventually.TrueAsync(() => _catalog.Consumed("a") == 2 && _catalog.ActiveWatches("a") == 0, "a's watch failed");

        // Other services keep updating, and a keeps what was last known of it.
        _catalog.Push("b", Instance("b", "b1"), Instance("b", "b2"));
        await Eventually.TrueAsync(_time, Debounce, () => Ids("b").Length == 2, "b's change is published");
        Assert.Equal(["a1"], Ids("a"));
        Assert.Equal(1, _catalog.WatchesStarted("a"));

        await Eventually.TrueAsync(_time, RetryDelay, () => _catalog.WatchesStarted("a") == 2, "a's watch is reopened after the retry delay");
        _catalog.Push("a", Instance("a", "a2"));
        await Eventually.TrueAsync(_time, Debounce, () => Ids("a").SequenceEqual(["a2"]), "a's new state is published");
    }

    private async Task StartAsync()
    {
        await _watcher.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(
            () => _catalog.ActiveWatches("a") == 1 && _catalog.ActiveWatches("b") == 1,
            "both services are watched");
    }

    private string[] Ids(string service) =>
        [.. _provider.Snapshot.Find(service)?.Destinations.Select(d => d.InstanceId) ?? []];

    private static ServiceInstance Instance(string service, string id) => new(id, service, "127.0.0.1", 8080, "zone-a", "v1");
}

using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Balancer.Weights;
using Bollard.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Routing;

/// <summary>Weights and first-seen times in the snapshot: what republishes, what is kept across rebuilds.</summary>
public sealed class RoutingWeightsAndSlowStartTests : IDisposable
{
    private static readonly ServiceRoute[] Routes = [new("web", null, "/")];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryVersionWeights _weights = new();
    private readonly SnapshotProxyConfigProvider _provider = new();
    private readonly CatalogRoutingWatcher _watcher;

    public RoutingWeightsAndSlowStartTests()
    {
        _watcher = new CatalogRoutingWatcher(
            new FakeServiceCatalog(),
            new InMemoryServiceRouteSource(Routes),
            _weights,
            _provider,
            _time,
            Options.Create(new BalancerOptions()),
            NullLogger<CatalogRoutingWatcher>.Instance);
    }

    public void Dispose() => _watcher.Dispose();

    [Fact]
    public void A_weight_change_republishes_and_reaches_the_cluster_metadata()
    {
        _watcher.Apply(Snapshot("w1", "w2"));
        Assert.True(_watcher.RebuildOnce());

        _weights.Set("web", new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 });

        Assert.True(_watcher.RebuildOnce());
        Assert.Equal(50, _provider.Snapshot.Find("web")!.Weights!.Of("v2"));
        var cluster = Assert.Single(_provider.GetConfig().Clusters);
        Assert.Equal("{\"v1\":950,\"v2\":50}", cluster.Metadata![BalancerMetadata.Weights]);
        Assert.Equal("BollardWeightedZoneAware", cluster.LoadBalancingPolicy);

        _weights.Clear("web");
        Assert.True(_watcher.RebuildOnce());
        Assert.Null(_provider.Snapshot.Find("web")!.Weights);
    }

    [Fact]
    public void First_seen_times_are_kept_while_a_replica_stays_and_new_replicas_start_now()
    {
        _watcher.Apply(Snapshot("w1"));
        _watcher.RebuildOnce();
        Assert.Equal(DateTimeOffset.UnixEpoch, Since("w1"));

        _time.Advance(TimeSpan.FromSeconds(10));
        _watcher.Apply(Snapshot("w1", "w2"));
        _watcher.RebuildOnce();
        var joined = _time.GetUtcNow();

        _time.Advance(TimeSpan.FromSeconds(10));
        _watcher.Apply(Snapshot("w2", "w3"));
        _watcher.RebuildOnce();

        Assert.Equal(joined, Since("w2"));
        Assert.Equal(_time.GetUtcNow(), Since("w3"));
        Assert.Equal(
            joined.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _provider.GetConfig().Clusters[0].Destinations!["w2"].Metadata![BalancerMetadata.Since]);
    }

    [Fact]
    public void A_weight_source_without_an_answer_keeps_the_weights_already_routed()
    {
        var weights = new VersionWeights(new Dictionary<string, int> { ["v1"] = 900, ["v2"] = 100 });
        var previous = new RoutingSnapshot([new ServiceRouting("web", null, null, [], weights)]);

        var next = RoutingSnapshotBuilder.Build(Routes, new Dictionary<string, ServiceSnapshot>(), weights: null, previous, _time.GetUtcNow());

        Assert.Equal(weights, next.Find("web")!.Weights);
    }

    private DateTimeOffset Since(string id) => _provider.Snapshot.Find("web")!.Destinations.Single(d => d.InstanceId == id).Since;

    private static ServiceSnapshot Snapshot(params string[] ids) =>
        new("web", ids.Select(id => new ServiceInstance(id, "web", "127.0.0.1", 8080, "a", "v1")));
}

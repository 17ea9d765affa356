using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Balancer.Weights;
using Bollard.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Routing;

/// <summary>Static stability on disk: the last good snapshot survives a restart and serves until the catalog answers.</summary>
public sealed class RoutingSnapshotFileTests : IDisposable
{
    // The same settings as the saved sample: the spec did not change while the balancer was down.
    private static readonly ServiceRoute[] Routes = [new("web", "web.example.com", "/api") { Timeout = TimeSpan.FromSeconds(7.5), HealthPath = "/ready", MaxConcurrentRequests = 123, SlowStartWindow = TimeSpan.FromSeconds(45), Protocol = ReplicaProtocol.Grpc, HttpsRedirect = true, RateLimit = new RouteRateLimit(10, 20, "X-Api-Key") }];

    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-snapshot-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private string Path => System.IO.Path.Combine(_directory, "state", "routing-snapshot.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_snapshot_round_trips_through_the_file()
    {
        var snapshot = Sample();

        RoutingSnapshotFile.Write(Path, snapshot);

        Assert.Equal(snapshot, RoutingSnapshotFile.Read(Path));
        Assert.Equal([System.IO.Path.GetFileName(Path)], Directory.GetFiles(System.IO.Path.GetDirectoryName(Path)!).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public void Every_routing_field_round_trips_through_the_file()
    {
        var snapshot = Sample();
        var service = snapshot.Services[0];

        // A field added to the snapshot later must be set here too, so that this test covers it.
        AssertEveryPropertySet(service);
        AssertEveryPropertySet(service.Settings);
        foreach (var destination in service.Destinations)
        {
            AssertEveryPropertySet(destination);
        }

        RoutingSnapshotFile.Write(Path, snapshot);
        var read = RoutingSnapshotFile.Read(Path)!.Services[0];

        Assert.Equal(service.Settings, read.Settings);
        Assert.Equal(service.Weights, read.Weights);
        Assert.Equal(service.Destinations.ToArray(), read.Destinations.ToArray());
        Assert.Equal(service, read);
        // What YARP gets from it is the same too (timeout, health path, metadata).
        Assert.Equal(RoutingSnapshotBuilder.ToClusters(snapshot), RoutingSnapshotBuilder.ToClusters(RoutingSnapshotFile.Read(Path)!), new ClusterComparer());
    }

    [Fact]
    public void A_file_written_before_the_route_settings_existed_reads_with_the_defaults()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, """{"format":1,"services":[{"service":"web","host":null,"pathPrefix":"/api","weights":null,"destinations":[]}]}""");

        Assert.Equal(RouteSettings.Default, RoutingSnapshotFile.Read(Path)!.Find("web")!.Settings);
    }

    [Fact]
    public void A_missing_file_is_no_snapshot_and_a_broken_one_is_a_format_error()
    {
        Assert.Null(RoutingSnapshotFile.Read(Path));

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, "{ not json");

        Assert.Throws<FormatException>(() => RoutingSnapshotFile.Read(Path));
    }

    [Fact]
    public async Task A_restarted_balancer_routes_from_the_file_until_the_catalog_answers()
    {
        RoutingSnapshotFile.Write(Path, Sample());
        var catalog = new FakeServiceCatalog();
        var provider = new SnapshotProxyConfigProvider();
        using var watcher = Watcher(catalog, provider, new UnansweredWeights());

        await watcher.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => provider.Revision == 1 && catalog.ActiveWatches("web") == 1, "the saved snapshot is loaded and the service watched");
        _time.Advance(TimeSpan.FromSeconds(1));

        // Neither the catalog nor the weight source has answered (a Consul outage): the saved replicas and weights route.
        Assert.Equal(["w1", "w2"], provider.Snapshot.Find("web")!.Destinations.Select(d => d.InstanceId));
        Assert.Equal(50, provider.Snapshot.Find("web")!.Weights!.Of("v2"));
        Assert.Equal(2, provider.GetConfig().Clusters[0].Destinations!.Count);

        // Its first real answer replaces them.
        catalog.Push("web", new ServiceInstance("w9", "web", "127.0.0.1", 9000, "a", "v1"));
        await Eventually.TrueAsync(_time, TimeSpan.FromMilliseconds(20), () => provider.Snapshot.Find("web")!.Destinations is [{ InstanceId: "w9" }], "the catalog's answer replaces the saved replicas");
        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_route_source_with_no_answer_yet_keeps_the_saved_routes_until_it_answers()
    {
        RoutingSnapshotFile.Write(Path, Sample());
        var catalog = new FakeServiceCatalog();
        var provider = new SnapshotProxyConfigProvider();
        var routes = new SettableRoutes();
        using var watcher = Watcher(catalog, provider, new UnansweredWeights(), routes);

        await watcher.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => provider.Revision == 1 && catalog.ActiveWatches("web") == 1, "the saved snapshot is loaded and its service watched");

        // The state store has not answered (Consul down since start: routes and weights unknown): the catalog's answer
        // moves the saved route's replicas, and the route keeps every saved setting.
        catalog.Push("web", new ServiceInstance("w9", "web", "127.0.0.1", 9000, "a", "v1"));
        await Eventually.TrueAsync(_time, TimeSpan.FromMilliseconds(20), () => provider.Snapshot.Find("web")!.Destinations is [{ InstanceId: "w9" }], "the catalog's answer on the saved route");
        var kept = provider.Snapshot.Find("web")!;
        Assert.Equal(("web.example.com", "/api"), (kept.Host, kept.PathPrefix));
        Assert.Equal(Sample().Find("web")!.Settings, kept.Settings);

        // Its first answer replaces them: another service, the saved one no longer routed nor watched.
        routes.Set([new ServiceRoute("api", null, "/v2")]);
        await Eventually.TrueAsync(_time, TimeSpan.FromMilliseconds(20), () => provider.Snapshot.Services is [{ Service: "api" }] && catalog.ActiveWatches("web") == 0, "the answered routes replace the saved ones");
        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void Routes_taken_from_a_snapshot_build_the_same_routes_again()
    {
        var saved = Sample();

        var rebuilt = RoutingSnapshotBuilder.Build(null, new Dictionary<string, ServiceSnapshot>(), null, saved, _time.GetUtcNow());

        Assert.Equal(saved, rebuilt);
    }

    [Fact]
    public void An_unreadable_file_is_ignored()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, "{\"format\":99,\"services\":[]}");
        var provider = new SnapshotProxyConfigProvider();
        using var watcher = Watcher(new FakeServiceCatalog(), provider);

        watcher.LoadSavedSnapshot();

        Assert.Equal(0, provider.Revision);
    }

    [Fact]
    public async Task The_persister_writes_changes_at_most_once_per_second_and_never_the_empty_start()
    {
        var provider = new SnapshotProxyConfigProvider();
        using var persister = new RoutingSnapshotPersister(provider, _time, Options.Create(new BalancerOptions { SnapshotFile = Path }), NullLogger<RoutingSnapshotPersister>.Instance);

        Assert.False(persister.WriteOnce());
        Assert.False(File.Exists(Path));

        await persister.StartAsync(CancellationToken.None);
        var first = Sample();
        provider.Publish(first);
        await Eventually.TrueAsync(() => File.Exists(Path), "the first publish is written");
        var written = File.GetLastWriteTimeUtc(Path);

        // A burst of publishes within the second: nothing is written until the interval has passed, then the latest.
        var second = RoutingSnapshotBuilder.Build(Routes, new Dictionary<string, ServiceSnapshot> { ["web"] = new("web", [new ServiceInstance("w7", "web", "127.0.0.1", 1, "a", "v1")]) });
        provider.Publish(RoutingSnapshot.Empty);
        provider.Publish(second);
        Assert.Equal(first, RoutingSnapshotFile.Read(Path));

        await Eventually.TrueAsync(_time, TimeSpan.FromMilliseconds(100), () => second.Equals(RoutingSnapshotFile.Read(Path)), "the latest snapshot is written after the interval");
        Assert.False(persister.WriteOnce());
        Assert.True(File.GetLastWriteTimeUtc(Path) >= written);
        await persister.StopAsync(CancellationToken.None);
    }

    private CatalogRoutingWatcher Watcher(FakeServiceCatalog catalog, SnapshotProxyConfigProvider provider, IVersionWeightSource? weights = null, IServiceRouteSource? routes = null) => new(
        catalog,
        routes ?? new InMemoryServiceRouteSource(Routes),
        weights ?? new InMemoryVersionWeights(),
        provider,
        _time,
        Options.Create(new BalancerOptions { SnapshotFile = Path, RoutingDebounce = TimeSpan.FromMilliseconds(10) }),
        NullLogger<CatalogRoutingWatcher>.Instance);

    private static RoutingSnapshot Sample() => new([
        new ServiceRouting(
            "web",
            "web.example.com",
            "/api",
            [
                new RoutingDestination("w1", "http://127.0.0.1:8081", "a", "v1") { Since = new DateTimeOffset(2029, 12, 31, 23, 58, 0, TimeSpan.Zero) },
                new RoutingDestination("w2", "http://[::1]:8082", "b", "v2") { Since = new DateTimeOffset(2029, 12, 31, 23, 59, 0, TimeSpan.Zero) },
            ],
            new VersionWeights(new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 }),
            new RouteSettings(TimeSpan.FromSeconds(7.5), "/ready", 123, TimeSpan.FromSeconds(45), ReplicaProtocol.Grpc, HttpsRedirect: true, RateLimit: new RouteRateLimit(10, 20, "X-Api-Key"))),
    ]);

    private static void AssertEveryPropertySet(object value)
    {
        foreach (var property in value.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            var read = property.GetValue(value);
            var type = property.PropertyType;
            var unset = read is null
                || (type.IsValueType && Nullable.GetUnderlyingType(type) is null && read.Equals(Activator.CreateInstance(type)))
                || read is DateTimeOffset since && since == DateTimeOffset.UnixEpoch
                || read is string { Length: 0 }
                || read is System.Collections.IEnumerable sequence and not string && !sequence.GetEnumerator().MoveNext();
            Assert.False(unset, $"{value.GetType().Name}.{property.Name} is not set in the sample, so the round trip does not cover it.");
        }
    }

    /// <summary>YARP's configs compare their dictionaries by reference; this compares what they hold.</summary>
    private sealed class ClusterComparer : IEqualityComparer<Yarp.ReverseProxy.Configuration.ClusterConfig>
    {
        public bool Equals(Yarp.ReverseProxy.Configuration.ClusterConfig? x, Yarp.ReverseProxy.Configuration.ClusterConfig? y) =>
            x is not null && y is not null
            && x.ClusterId == y.ClusterId
            && Equals(x.HttpRequest, y.HttpRequest)
            && Equals(x.HealthCheck, y.HealthCheck)
            && x.Metadata!.OrderBy(p => p.Key).SequenceEqual(y.Metadata!.OrderBy(p => p.Key))
            && x.Destinations!.Count == y.Destinations!.Count
            && x.Destinations.All(d => y.Destinations.TryGetValue(d.Key, out var other)
                && d.Value.Address == other.Address
                && d.Value.Metadata!.OrderBy(p => p.Key).SequenceEqual(other.Metadata!.OrderBy(p => p.Key)));

        public int GetHashCode(Yarp.ReverseProxy.Configuration.ClusterConfig obj) => obj.ClusterId.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>A route source that has had no answer until <see cref="Set"/> (its state store unreachable since start).</summary>
    private sealed class SettableRoutes : IServiceRouteSource
    {
        private volatile IReadOnlyList<ServiceRoute>? _routes;
        private CancellationTokenSource _changed = new();

        public IReadOnlyList<ServiceRoute>? Current => _routes;

        public IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

        public void Set(IReadOnlyList<ServiceRoute> routes)
        {
            _routes = routes;
            Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
        }
    }

    /// <summary>A weight source that has not had its first answer (Consul unreachable since start).</summary>
    private sealed class UnansweredWeights : IVersionWeightSource
    {
        public IReadOnlyDictionary<string, VersionWeights>? Current => null;

        public IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);
    }
}

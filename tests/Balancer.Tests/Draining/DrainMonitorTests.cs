using Bollard.Balancer.Draining;
using Bollard.Balancer.Metrics;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Tests.Draining;

public sealed class DrainMonitorTests
{
    private static readonly ClusterConfig Cluster = new() { ClusterId = "svc-web" };
    private static readonly DestinationConfig Destination = new() { Address = "http://127.0.0.1:1" };

    private readonly FakeTimeProvider _time = new();
    private readonly FakeProxyState _proxy = new();
    private readonly InFlightTracker _tracker;
    private readonly DrainMonitor _monitor;

    public DrainMonitorTests()
    {
        _tracker = new InFlightTracker(new TrafficWindows(_time));
        _monitor = new DrainMonitor(_tracker, _proxy, _time);
    }

    [Fact]
    public async Task A_replica_never_routed_is_drained_at_once()
    {
        Assert.True(await _monitor.WaitUntilDrainedAsync("gone", TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task Waits_until_routing_dropped_the_replica_and_its_last_request_finished()
    {
        _proxy.Route("web-1");
        var first = _tracker.Enter("web-1", Destination, Cluster);
        var second = _tracker.Enter("WEB-1", Destination, Cluster);
        Assert.Equal(2, _monitor.InFlight("web-1"));

        var wait = _monitor.WaitUntilDrainedAsync("web-1", TimeSpan.FromSeconds(30), CancellationToken.None);
        _tracker.Exit(first);
        _tracker.Exit(second);
        // Idle but still routed: new requests could come, so not drained yet.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);

        var late = _tracker.Enter("web-1", Destination, Cluster);
        _proxy.Unroute("web-1");
        await Eventually.TrueAsync(_time, DrainMonitor.RecheckInterval, () => _monitor.InFlight("web-1") == 1 && !wait.IsCompleted, "the late request keeps it busy");
        _tracker.Exit(late);

        await Eventually.TrueAsync(_time, DrainMonitor.RecheckInterval, () => wait.IsCompleted, "the wait completes");
        Assert.True(await wait);
        Assert.Equal(0, _monitor.InFlight("web-1"));
    }

    [Fact]
    public async Task Gives_up_at_the_maximum_wait()
    {
        _tracker.Enter("web-1", Destination, Cluster);
        var wait = _monitor.WaitUntilDrainedAsync("web-1", TimeSpan.FromSeconds(30), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cancellation_throws_rather_than_reporting_not_drained()
    {
        _tracker.Enter("web-1", Destination, Cluster);
        using var cancel = new CancellationTokenSource();
        var wait = _monitor.WaitUntilDrainedAsync("web-1", TimeSpan.FromSeconds(30), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Entries_retire_when_idle_and_concurrent_requests_are_all_counted()
    {
        Parallel.For(0, 10_000, _ => _tracker.Exit(_tracker.Enter("web-1", Destination, Cluster)));
        Assert.Equal(0, _tracker.InFlight("web-1"));
        Assert.True(_tracker.WhenIdle("web-1").IsCompleted);
    }

    private sealed class FakeProxyState : IProxyStateLookup
    {
        private readonly ClusterState _cluster = new("svc-web");

        public void Route(string id) => _cluster.Destinations[id] = new DestinationState(id);

        public void Unroute(string id) => _cluster.Destinations.TryRemove(id, out _);

        public IEnumerable<ClusterState> GetClusters() => [_cluster];

        public IEnumerable<RouteModel> GetRoutes() => [];

        public bool TryGetCluster(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterState? cluster)
        {
            cluster = _cluster;
            return id == _cluster.ClusterId;
        }

        public bool TryGetRoute(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RouteModel? route)
        {
            route = null;
            return false;
        }
    }
}

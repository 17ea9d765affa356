using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Tests.Cluster;

public sealed class ClusterLoadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_other_balancers_the_local_reading_is_the_load()
    {
        var local = new LoadSnapshot(T0, 3, 120, 4, 35, 50);

        Assert.Same(local, ClusterLoad.Combine(local, [], 3, T0));
        Assert.Null(ClusterLoad.Combine(null, [], 3, T0));
    }

    [Fact]
    public void Rates_and_requests_in_flight_add_up_over_the_balancers()
    {
        var load = ClusterLoad.Combine(
            new LoadSnapshot(T0, 4, 100, 2, 20),
            [new ServiceTraffic(300, 6, 25), new ServiceTraffic(50, 1, 22)],
            4,
            T0 + TimeSpan.FromSeconds(1));

        Assert.NotNull(load);
        Assert.Equal(450, load.RequestsPerSecond);
        Assert.Equal(9, load.InFlight);
        Assert.Equal(4, load.Replicas);
        Assert.Equal(T0, load.ObservedAt);
    }

    [Fact]
    public void The_latency_is_the_highest_of_the_balancers_that_carry_a_real_share()
    {
        // 2 of 1002 req/s (0.2%) with a 900 ms p95 is a trickle: it does not set the service's latency.
        var load = ClusterLoad.Combine(
            new LoadSnapshot(T0, 2, 500, 1, 40),
            [new ServiceTraffic(500, 1, 60), new ServiceTraffic(2, 1, 900)],
            2,
            T0);

        Assert.Equal(60, load!.P95LatencyMs);
    }

    [Fact]
    public void Another_balancers_traffic_counts_when_the_local_one_sees_none()
    {
        var load = ClusterLoad.Combine(new LoadSnapshot(T0, 2, 0, 0, null), [new ServiceTraffic(80, 3, 30)], 2, T0);

        Assert.Equal((80d, 3d, 30d), (load!.RequestsPerSecond!.Value, load.InFlight!.Value, load.P95LatencyMs!.Value));
        Assert.True(load.HasTraffic);
    }

    [Fact]
    public void The_local_cpu_reading_is_kept()
    {
        var load = ClusterLoad.Combine(new LoadSnapshot(T0, 2, 10, 0, 5, CpuPercent: 70), [new ServiceTraffic(10, 0, 5)], 2, T0);

        Assert.Equal(70, load!.CpuPercent);
    }

    [Fact]
    public void Without_a_local_reading_the_other_balancers_give_the_load()
    {
        var load = ClusterLoad.Combine(null, [new ServiceTraffic(40, 2, 12)], 3, T0);

        Assert.Equal((T0, 3, 40d), (load!.ObservedAt, load.Replicas, load.RequestsPerSecond!.Value));
    }

    [Fact]
    public void A_versions_requests_and_errors_add_up_and_its_p99_is_the_worst_of_the_balancers_with_a_real_share()
    {
        var combined = ClusterLoad.CombineVersion(
            new TrafficStats(400, 4, 80),
            [new TrafficStats(600, 30, 120), new TrafficStats(5, 5, 4000)]);

        // 5 of 1005 requests (0.5%) at 4 s: a trickle, it does not set the version's latency.
        Assert.Equal(new TrafficStats(1005, 39, 120), combined);
    }

    [Fact]
    public void A_version_seen_only_by_other_balancers_is_judged_on_their_requests()
    {
        Assert.Equal(new TrafficStats(50, 1, 30), ClusterLoad.CombineVersion(null, [new TrafficStats(50, 1, 30)]));
        Assert.Equal(new TrafficStats(50, 1, 30), ClusterLoad.CombineVersion(new TrafficStats(0, 0, null), [new TrafficStats(50, 1, 30)]));
        Assert.Null(ClusterLoad.CombineVersion(null, []));
    }
}

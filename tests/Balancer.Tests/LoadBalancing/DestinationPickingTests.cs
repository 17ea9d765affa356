using Bollard.Balancer.LoadBalancing;
using Yarp.ReverseProxy.Model;
using static Bollard.Balancer.Tests.LoadBalancing.PickFixture;

namespace Bollard.Balancer.Tests.LoadBalancing;

/// <summary>The replica step: least-request power of two choices, slow start, round robin.</summary>
public sealed class DestinationPickingTests
{
    private const int Picks = 40_000;

    [Fact]
    public void Power_of_two_choices_prefers_the_replica_with_fewer_requests_in_flight()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3)];
        destinations[0].ConcurrentRequestCount = 10;
        destinations[1].ConcurrentRequestCount = 10;

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, d => d.DestinationId);

        // The idle replica wins every pair it is in: 2 pairs of 3.
        Assert.InRange(Share(counts, destinations[2].DestinationId), 0.64, 0.69);
    }

    [Fact]
    public void Round_robin_takes_each_replica_in_turn()
    {
        var fixture = new PickFixture();
        fixture.Options.Picking = DestinationPicking.RoundRobin;
        DestinationState[] destinations = [.. Replicas("v1", 3)];
        var policy = fixture.CreatePolicy();
        var cluster = Cluster();

        var picked = Enumerable.Range(0, 6).Select(_ => policy.PickDestination(new Microsoft.AspNetCore.Http.DefaultHttpContext(), cluster, destinations)!.DestinationId).ToList();

        Assert.Equal(picked.Take(3), picked.Skip(3));
        Assert.Equal(3, picked.Distinct().Count());
    }

    [Fact]
    public void A_new_replica_ramps_up_linearly_over_the_slow_start_window()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        var cluster = Cluster();
        DestinationState[] destinations = [Destination("warm", "v1"), Destination("new", "v1", since: fixture.Time.GetUtcNow())];

        var shares = new List<double>();
        for (var second = 0; second <= 30; second += 5)
        {
            shares.Add(Share(Count(policy, cluster, destinations, Picks, d => d.DestinationId), "new"));
            fixture.Time.Advance(TimeSpan.FromSeconds(5));
        }

        // Weight w of the new replica against 1 for the warm one: its share is about w / (1 + w), w from 0.1 to 1.
        Assert.InRange(shares[0], 0.08, 0.14);
        Assert.InRange(shares[3], 0.33, 0.38);
        Assert.InRange(shares[^1], 0.49, 0.51);
        Assert.Equal(shares.Order(), shares);
    }

    [Fact]
    public void Slow_start_weight_grows_linearly_from_the_minimum()
    {
        var window = TimeSpan.FromSeconds(30).Ticks;

        Assert.Equal(100, SlowStart.WeightPerMille(0, 0, window, 100));
        Assert.Equal(550, SlowStart.WeightPerMille(0, window / 2, window, 100));
        Assert.Equal(1000, SlowStart.WeightPerMille(0, window, window, 100));
        Assert.Equal(1000, SlowStart.WeightPerMille(0, 0, 0, 100));
    }

    [Fact]
    public void Under_equal_load_a_warming_replica_loses_to_a_warm_one()
    {
        var fixture = new PickFixture();
        DestinationState[] destinations = [Destination("warm", "v1"), Destination("new", "v1", since: fixture.Time.GetUtcNow().AddSeconds(-15))];
        destinations[0].ConcurrentRequestCount = 4;
        destinations[1].ConcurrentRequestCount = 4;

        var counts = Count(fixture.CreatePolicy(), Cluster(), destinations, Picks, d => d.DestinationId);

        Assert.Equal(Picks, counts["warm"]);
    }

    [Fact]
    public void Replicas_of_the_first_snapshot_are_warm()
    {
        DestinationState[] destinations = [Destination("one", "v1"), Destination("two", "v1")];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, d => d.DestinationId);

        Assert.InRange(Share(counts, "one"), 0.49, 0.51);
    }
}

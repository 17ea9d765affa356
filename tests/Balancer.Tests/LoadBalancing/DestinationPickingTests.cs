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
        fixture.Options.SlowStartWindow = TimeSpan.FromSeconds(30);
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
    public void A_service_whose_route_sets_its_own_slow_start_ramps_over_it_instead_of_the_balancers()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        var slow = Cluster(slowStart: TimeSpan.FromSeconds(60));
        var none = Cluster(slowStart: TimeSpan.Zero);
        DestinationState[] destinations = [Destination("warm", "v1"), Destination("new", "v1", since: fixture.Time.GetUtcNow())];

        // Without a ramp the new replica has its full share (about half) from the start.
        Assert.InRange(Share(Count(policy, none, destinations, Picks, d => d.DestinationId), "new"), 0.47, 0.53);

        // After the balancer's 10 s it is still ramping over its route's 60 s: weight 0.25, a share of about 0.2.
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.InRange(Share(Count(policy, slow, destinations, Picks, d => d.DestinationId), "new"), 0.17, 0.23);
        fixture.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.InRange(Share(Count(policy, slow, destinations, Picks, d => d.DestinationId), "new"), 0.47, 0.53);
    }

    [Fact]
    public void By_default_a_new_replica_has_its_full_share_after_ten_seconds()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        var cluster = Cluster();
        DestinationState[] destinations = [Destination("warm", "v1"), Destination("new", "v1", since: fixture.Time.GetUtcNow())];

        var first = Share(Count(policy, cluster, destinations, Picks, d => d.DestinationId), "new");
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var after = Share(Count(policy, cluster, destinations, Picks, d => d.DestinationId), "new");

        Assert.InRange(first, 0.08, 0.14);
        Assert.InRange(after, 0.49, 0.51);
    }

    [Fact]
    public void A_scale_out_from_one_to_six_relieves_the_old_replica_at_once()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        var joined = fixture.Time.GetUtcNow();
        DestinationState[] destinations = [Destination("old", "v1"), .. Enumerable.Range(1, 5).Select(i => Destination($"new{i}", "v1", since: joined))];

        var counts = Count(policy, Cluster(), destinations, Picks, d => d.DestinationId);

        // Warm-load limit 2: the old replica keeps at most twice its fair sixth, not the two thirds a 10% start left it.
        Assert.InRange(Share(counts, "old"), 0.28, 2.0 / 6);
        Assert.All(Enumerable.Range(1, 5), i => Assert.InRange(Share(counts, $"new{i}"), 0.12, 0.15));
    }

    [Fact]
    public void One_replica_joining_five_warm_ones_still_starts_at_the_minimum()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        DestinationState[] destinations = [.. Replicas("v1", 5), Destination("new", "v1", since: fixture.Time.GetUtcNow())];

        var counts = Count(policy, Cluster(), destinations, Picks, d => d.DestinationId);

        // Weight 0.1 against five at 1: about 0.1 / 5.1 of the picks.
        Assert.InRange(Share(counts, "new"), 0.01, 0.03);
    }

    [Fact]
    public void Replicas_that_are_all_new_are_not_slowed_against_each_other()
    {
        var fixture = new PickFixture();
        var policy = fixture.CreatePolicy();
        var now = fixture.Time.GetUtcNow();
        DestinationState[] destinations = [Destination("older", "v1", since: now.AddSeconds(-8)), Destination("newer", "v1", since: now)];

        var counts = Count(policy, Cluster(), destinations, Picks, d => d.DestinationId);

        Assert.InRange(Share(counts, "newer"), 0.49, 0.51);
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

    [Theory]
    [InlineData(1.0, 4, 325)]
    [InlineData(2.0, 4, 550)]
    [InlineData(2.0, 1, 1000)]
    [InlineData(0.5, 2, 325)]
    public void Aggression_shapes_the_ramp(double aggression, int windowOverElapsed, int expected)
    {
        var window = TimeSpan.FromSeconds(40).Ticks;

        Assert.Equal(expected, SlowStart.WeightPerMille(0, window / windowOverElapsed, window, 100, aggression));
    }

    [Theory]
    [InlineData(1, 5, 2.0, 400)]
    [InlineData(5, 1, 2.0, 0)]
    [InlineData(3, 3, 2.0, 0)]
    [InlineData(1, 1, 2.0, 0)]
    [InlineData(1, 2, 2.0, 250)]
    [InlineData(2, 8, 3.0, 167)]
    [InlineData(1, 5, 1.0, 1000)]
    [InlineData(0, 5, 2.0, 0)]
    public void The_starting_weight_floor_keeps_the_warm_replicas_within_the_limit(int warm, int ramping, double limit, int expected)
    {
        Assert.Equal(expected, SlowStart.FloorPerMille(warm, ramping, limit));
    }

    [Fact]
    public void With_the_floor_the_warm_share_never_exceeds_the_limit_times_fair()
    {
        for (var warm = 1; warm <= 20; warm++)
        {
            for (var ramping = 1; ramping <= 20; ramping++)
            {
                var weight = Math.Max(100, SlowStart.FloorPerMille(warm, ramping, 2.0)) / 1000.0;
                var warmShare = warm / (warm + (ramping * weight));
                Assert.True(warmShare <= (2.0 * warm / (warm + ramping)) + 1e-9, $"{warm} warm, {ramping} ramping: {warmShare}");
            }
        }
    }

    [Fact]
    public void Under_equal_load_a_warming_replica_loses_to_a_warm_one()
    {
        var fixture = new PickFixture();
        DestinationState[] destinations = [Destination("warm", "v1"), Destination("new", "v1", since: fixture.Time.GetUtcNow().AddSeconds(-5))];
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

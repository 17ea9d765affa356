using Bollard.Balancer.LoadBalancing;
using Yarp.ReverseProxy.Model;
using static Bollard.Balancer.Tests.LoadBalancing.PickFixture;

namespace Bollard.Balancer.Tests.LoadBalancing;

/// <summary>The zone step: Envoy's rule, spill-over by residual capacity, and Spread.</summary>
public sealed class ZoneAwareTests
{
    private const int Picks = 60_000;
    private const double Tolerance = 0.01;

    [Fact]
    public void A_local_zone_with_its_share_keeps_all_traffic()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3, "a"), .. Replicas("v1", 3, "b"), .. Replicas("v1", 3, "c")];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        Assert.Equal(Picks, counts["a"]);
    }

    [Fact]
    public void A_local_zone_with_a_third_of_its_share_keeps_a_third_and_spills_the_rest_by_residual_capacity()
    {
        // 9 replicas over 3 zones: a fair share is 3; zone a has 1 (a third), b and c have 4 each (1 spare each).
        DestinationState[] destinations = [.. Replicas("v1", 1, "a"), .. Replicas("v1", 4, "b"), .. Replicas("v1", 4, "c")];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        Assert.InRange(Share(counts, "a"), (1 / 3.0) - Tolerance, (1 / 3.0) + Tolerance);
        Assert.InRange(Share(counts, "b"), (1 / 3.0) - Tolerance, (1 / 3.0) + Tolerance);
        Assert.InRange(Share(counts, "c"), (1 / 3.0) - Tolerance, (1 / 3.0) + Tolerance);
    }

    [Fact]
    public void Spill_over_goes_to_the_zones_with_spare_capacity_in_proportion()
    {
        // Fair share 4 of 12: a has 2 (keeps half), b has 4 (no spare), c has 6 (2 spare): all spill goes to c.
        DestinationState[] destinations = [.. Replicas("v1", 2, "a"), .. Replicas("v1", 4, "b"), .. Replicas("v1", 6, "c")];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        Assert.InRange(Share(counts, "a"), 0.5 - Tolerance, 0.5 + Tolerance);
        Assert.Equal(0, counts.GetValueOrDefault("b"));
        Assert.InRange(Share(counts, "c"), 0.5 - Tolerance, 0.5 + Tolerance);
    }

    [Fact]
    public void A_lower_threshold_keeps_a_zone_slightly_under_its_share_local()
    {
        var fixture = new PickFixture();
        fixture.Options.ZoneCapacityThreshold = 0.7;
        DestinationState[] destinations = [.. Replicas("v1", 3, "a"), .. Replicas("v1", 4, "b"), .. Replicas("v1", 5, "c")];

        var counts = Count(fixture.CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        // 3 of a fair 4 is 75% of its share, above the 70% threshold.
        Assert.Equal(Picks, counts["a"]);
    }

    [Fact]
    public void A_balancer_in_a_zone_without_replicas_spreads_over_all()
    {
        var fixture = new PickFixture();
        fixture.Options.Zone = "z";
        DestinationState[] destinations = [.. Replicas("v1", 1, "a"), .. Replicas("v1", 3, "b")];

        var counts = Count(fixture.CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        Assert.InRange(Share(counts, "a"), 0.25 - Tolerance, 0.25 + Tolerance);
    }

    [Fact]
    public void Spread_mode_ignores_zones()
    {
        var fixture = new PickFixture();
        fixture.Options.ZoneMode = ZoneMode.Spread;
        DestinationState[] destinations = [.. Replicas("v1", 3, "a"), .. Replicas("v1", 3, "b"), .. Replicas("v1", 3, "c")];

        var counts = Count(fixture.CreatePolicy(), Cluster(), destinations, Picks, ZoneOf);

        Assert.All(["a", "b", "c"], zone => Assert.InRange(Share(counts, zone), (1 / 3.0) - Tolerance, (1 / 3.0) + Tolerance));
    }

    [Fact]
    public void Zones_apply_within_the_version_chosen_by_weight()
    {
        // The canary lives only in zone b: its 5% goes there even from a balancer in zone a.
        DestinationState[] destinations = [.. Replicas("v1", 3, "a"), .. Replicas("v1", 3, "b"), .. Replicas("v2", 1, "b")];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(new Dictionary<string, int> { ["v1"] = 950, ["v2"] = 50 }), destinations, Picks, d => $"{VersionOf(d)}/{ZoneOf(d)}");

        Assert.InRange(Share(counts, "v2/b"), 0.05 - 0.005, 0.05 + 0.005);
        Assert.Equal(0, counts.GetValueOrDefault("v1/b"));
    }

    [Theory]
    [InlineData(new[] { 3, 3, 3 }, 0, 1.0, 1_000_000)]
    [InlineData(new[] { 1, 4, 4 }, 0, 1.0, 333_333)]
    [InlineData(new[] { 0, 4, 4 }, 0, 1.0, 0)]
    [InlineData(new[] { 2, 0, 0 }, 0, 1.0, 1_000_000)]
    [InlineData(new[] { 3, 4, 5 }, 0, 0.7, 1_000_000)]
    [InlineData(new[] { 2, 4, 6 }, 0, 0.7, 714_285)]
    public void Local_share_follows_envoys_rule(int[] counts, int local, double threshold, int expected)
    {
        Assert.Equal(expected, ZoneSplit.LocalShare(counts, local, threshold));
    }

    [Theory]
    [InlineData(new[] { 1, 4, 4 }, 0, new[] { 0, 3, 3 })]
    [InlineData(new[] { 2, 4, 6 }, 0, new[] { 0, 0, 6 })]
    [InlineData(new[] { 3, 3, 3 }, 0, new[] { 0, 3, 3 })]
    public void Spill_weights_are_the_residual_capacity(int[] counts, int local, int[] expected)
    {
        Assert.Equal(expected, ZoneSplit.SpillWeights(counts, local));
    }
}

using Bollard.Scaler.Placement;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Placement;

public sealed class PlacementPolicyTests
{
    private static readonly PlacementSpec Skew1 = new();

    /// <summary>One host per zone: "a", "b", "c" in zones "za", "zb", "zc".</summary>
    private static HostSlot[] ThreeZones(params string[] unavailable) =>
        [.. new[] { "a", "b", "c" }.Select(h => new HostSlot(h, "z" + h, !unavailable.Contains(h)))];

    private static Dictionary<string, int> Counts(int a, int b, int c) => new() { ["a"] = a, ["b"] = b, ["c"] = c };

    private static int[] Targets(PlacementPlan plan) => [.. plan.Hosts.Select(h => h.Target)];

    [Theory]
    // current a, b, c, desired -> targets a, b, c
    [InlineData(0, 0, 0, 9, 3, 3, 3)]
    [InlineData(0, 0, 0, 10, 4, 3, 3)] // the extra one goes to the first zone by name
    [InlineData(4, 3, 3, 10, 4, 3, 3)] // within skew: nothing moves
    [InlineData(3, 4, 3, 10, 3, 4, 3)] // whichever zone holds the extra one keeps it
    [InlineData(4, 4, 3, 9, 3, 3, 3)] // removing: from the most loaded
    [InlineData(3, 3, 2, 9, 3, 3, 3)] // adding: to the least loaded
    [InlineData(6, 0, 0, 6, 2, 2, 2)] // out of skew: rebalanced
    [InlineData(3, 3, 3, 0, 0, 0, 0)]
    [InlineData(1, 0, 0, 2, 1, 1, 0)]
    public void Replicas_spread_evenly_over_zones_moving_as_few_as_possible(int a, int b, int c, int desired, int ta, int tb, int tc)
    {
        var plan = PlacementPolicy.Place(desired, ThreeZones(), Counts(a, b, c), Skew1);

        Assert.Equal([ta, tb, tc], Targets(plan));
    }

    [Fact]
    public void A_lost_zone_is_replaced_in_the_surviving_zones_and_left_untouched()
    {
        var plan = PlacementPolicy.Place(9, ThreeZones("c"), Counts(3, 3, 3), Skew1);

        Assert.Equal([5, 4, 3], Targets(plan));
        var lost = plan.Hosts.Single(h => h.Host == "c");
        Assert.False(lost.Available);
        Assert.Equal(0, lost.Change);
        Assert.Equal(new Dictionary<string, int> { ["za"] = 5, ["zb"] = 4 }, plan.Zones);
        Assert.Equal("9 replicas over 2 available zones (za=5, zb=4), max skew 1; +2 on a, +1 on b; unavailable, left untouched and not counted: c (3)", plan.Reason);
    }

    [Theory]
    // the returning zone holds 0 or some (old) replicas
    [InlineData(0, 3, 2, 1)]
    [InlineData(3, 0, 2, 1)]
    [InlineData(1, 2, 2, 1)]
    public void A_returning_zone_is_rebalanced_toward_even(int returning, int starts, int stopsA, int stopsB)
    {
        var plan = PlacementPolicy.Place(9, ThreeZones(), Counts(5, 4, returning), Skew1);

        Assert.Equal([3, 3, 3], Targets(plan));
        Assert.Equal(starts, plan.Starts);
        Assert.Equal(stopsA + stopsB + (returning > 3 ? returning - 3 : 0), plan.Stops);
        Assert.Equal(-stopsA, plan.Hosts[0].Change);
        Assert.Equal(-stopsB, plan.Hosts[1].Change);
    }

    [Fact]
    public void A_larger_skew_allows_more_imbalance_and_fewer_moves()
    {
        var plan = PlacementPolicy.Place(9, ThreeZones(), Counts(5, 3, 1), new PlacementSpec(MaxSkew: 2));

        Assert.Equal([4, 3, 2], Targets(plan));
        Assert.Equal(1, plan.Starts);
    }

    [Fact]
    public void Zones_then_hosts_within_each_zone()
    {
        HostSlot[] hosts = [new("a1", "za", true), new("a2", "za", true), new("a3", "za", true), new("b1", "zb", true)];

        var plan = PlacementPolicy.Place(8, hosts, new Dictionary<string, int>(), Skew1);

        Assert.Equal(new Dictionary<string, int> { ["za"] = 4, ["zb"] = 4 }, plan.Zones);
        Assert.Equal([2, 1, 1, 4], Targets(plan));
    }

    [Fact]
    public void A_zone_with_an_unavailable_host_spreads_over_its_other_hosts()
    {
        HostSlot[] hosts = [new("a1", "za", true), new("a2", "za", false), new("b1", "zb", true)];

        var plan = PlacementPolicy.Place(4, hosts, new Dictionary<string, int> { ["a1"] = 1, ["a2"] = 2, ["b1"] = 2 }, Skew1);

        Assert.Equal([2, 2, 2], Targets(plan)); // a1 takes zone a's share; a2 keeps its 2, not counted
        Assert.Equal(4, plan.Zones.Values.Sum());
    }

    [Fact]
    public void Replicas_on_a_host_not_in_the_list_are_left_alone()
    {
        var plan = PlacementPolicy.Place(3, ThreeZones(), new Dictionary<string, int> { ["gone"] = 2 }, Skew1);

        var gone = plan.Hosts.Single(h => h.Host == "gone");
        Assert.Equal(new HostTarget("gone", "", 2, 2, false), gone);
        Assert.Equal(3, plan.Hosts.Where(h => h.Available).Sum(h => h.Target));
    }

    [Fact]
    public void With_no_available_host_nothing_is_placed_and_the_reason_says_so()
    {
        var plan = PlacementPolicy.Place(5, ThreeZones("a", "b", "c"), Counts(1, 1, 0), Skew1);

        Assert.Equal([1, 1, 0], Targets(plan));
        Assert.Empty(plan.Zones);
        Assert.True(plan.IsSteady);
        Assert.StartsWith("5 replicas desired but no available host", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_steady_spread_says_no_change()
    {
        var plan = PlacementPolicy.Place(6, ThreeZones(), Counts(2, 2, 2), Skew1);

        Assert.True(plan.IsSteady);
        Assert.EndsWith("no change", plan.Reason, StringComparison.Ordinal);
        Assert.Equal(plan, PlacementPolicy.Place(6, ThreeZones(), Counts(2, 2, 2), Skew1));
    }

    [Fact]
    public void A_skew_of_zero_is_met_when_the_count_divides_evenly_and_is_one_otherwise()
    {
        var even = PlacementPolicy.Place(6, ThreeZones(), Counts(4, 1, 1), new PlacementSpec(0));
        var uneven = PlacementPolicy.Place(7, ThreeZones(), Counts(4, 2, 1), new PlacementSpec(0));

        Assert.Equal([2, 2, 2], Targets(even));
        Assert.Equal([3, 2, 2], Targets(uneven));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlacementPolicy.Place(-1, ThreeZones(), Counts(0, 0, 0), Skew1));
        Assert.Throws<ArgumentException>(() => PlacementPolicy.Place(1, [new("a", "z", true), new("a", "y", true)], Counts(0, 0, 0), Skew1));
    }
}

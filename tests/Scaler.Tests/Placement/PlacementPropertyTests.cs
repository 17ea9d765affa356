using Bollard.Scaler.Placement;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Placement;

/// <summary>Invariants over many random layouts (seeded, so a failure replays).</summary>
public sealed class PlacementPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_plan_keeps_the_invariants(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 2000; trial++)
        {
            var hosts = RandomHosts(random);
            var current = hosts.Where(_ => random.Next(4) > 0).ToDictionary(h => h.Host, _ => random.Next(0, 7));
            var desired = random.Next(0, 40);
            var spec = new PlacementSpec(random.Next(0, 4));

            var plan = PlacementPolicy.Place(desired, hosts, current, spec);

            var available = plan.Hosts.Where(h => h.Available).ToList();
            Assert.Equal(hosts.Length, plan.Hosts.Length);
            Assert.All(plan.Hosts.Where(h => !h.Available), h => Assert.Equal(h.Current, h.Target));
            Assert.All(plan.Hosts, h => Assert.True(h.Target >= 0));
            Assert.False(string.IsNullOrWhiteSpace(plan.Reason));
            if (available.Count == 0)
            {
                continue;
            }

            Assert.Equal(desired, available.Sum(h => h.Target));
            Assert.Equal(desired, plan.Zones.Values.Sum());
            Assert.True(Skew(plan.Zones.Values) <= Allowed(spec, desired, plan.Zones.Count), plan.Reason);
            foreach (var zone in available.GroupBy(h => h.Zone))
            {
                Assert.True(Skew(zone.Select(h => h.Target)) <= Allowed(spec, plan.Zones[zone.Key], zone.Count()), plan.Reason);
            }

            // Planning again from the targets changes nothing: the plan is a fixed point.
            var again = PlacementPolicy.Place(desired, hosts, plan.Hosts.ToDictionary(h => h.Host, h => h.Target), spec);
            Assert.True(again.IsSteady, again.Reason);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Moves_are_as_few_as_any_even_spread_allows(int maxSkew)
    {
        // Every current layout of up to 4 buckets of 0..4 replicas, every desired count up to 10, against every
        // possible spread within the skew.
        for (var buckets = 1; buckets <= 4; buckets++)
        {
            var spreads = Enumerable.Range(0, 11).Select(d => Compositions(buckets, d).Where(t => Skew(t) <= maxSkew).ToList()).ToList();
            foreach (var current in Vectors(buckets, 4))
            {
                for (var desired = 0; desired <= 10; desired++)
                {
                    var targets = EvenSpread.Spread(current, desired, maxSkew);
                    var best = spreads[desired].Min(t => Moves(current, t));

                    Assert.Equal(desired, targets.Sum());
                    Assert.True(Skew(targets) <= maxSkew);
                    Assert.True(Moves(current, targets) == best, $"[{string.Join(",", current)}] -> {desired}: [{string.Join(",", targets)}] moves {Moves(current, targets)}, best {best}");
                }
            }
        }
    }

    private static HostSlot[] RandomHosts(Random random)
    {
        var zones = random.Next(1, 5);
        return [.. Enumerable.Range(0, zones)
            .SelectMany(z => Enumerable.Range(0, random.Next(1, 4)).Select(h => new HostSlot($"h{z}{h}", $"z{z}", random.Next(5) > 0)))];
    }

    private static int Allowed(PlacementSpec spec, int total, int buckets) => Math.Max(spec.MaxSkew, total % buckets == 0 ? 0 : 1);

    private static int Skew(IEnumerable<int> counts) => counts.Any() ? counts.Max() - counts.Min() : 0;

    private static int Moves(IReadOnlyList<int> current, IReadOnlyList<int> targets) => current.Zip(targets).Sum(p => Math.Abs(p.First - p.Second));

    /// <summary>Every vector of the length with values 0..max.</summary>
    private static IEnumerable<int[]> Vectors(int length, int max) =>
        length == 0 ? [[]] : Vectors(length - 1, max).SelectMany(rest => Enumerable.Range(0, max + 1).Select(v => (int[])[.. rest, v]));

    /// <summary>Every vector of the length with non-negative values summing to the total.</summary>
    private static IEnumerable<int[]> Compositions(int length, int total) =>
        length == 1 ? [[total]] : Enumerable.Range(0, total + 1).SelectMany(first => Compositions(length - 1, total - first).Select(rest => (int[])[first, .. rest]));
}

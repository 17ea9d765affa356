using Bollard.Balancer.LoadBalancing;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;
using static Bollard.Balancer.Tests.LoadBalancing.PickFixture;

namespace Bollard.Balancer.Tests.LoadBalancing;

/// <summary>The version step: shares follow the weights whatever the replica counts; pins and stickiness.</summary>
public sealed class VersionSplitTests
{
    private const int Picks = 100_000;
    private const double Tolerance = 0.005;

    [Theory]
    [InlineData(950, 50, 10, 1)]
    [InlineData(50, 950, 10, 1)]
    [InlineData(500, 500, 1, 9)]
    [InlineData(999, 1, 3, 3)]
    [InlineData(700, 300, 2, 5)]
    public void Shares_converge_to_the_weights_independent_of_replica_counts(int stable, int canary, int stableReplicas, int canaryReplicas)
    {
        foreach (var seed in new[] { 1, 7, 42 })
        {
            var fixture = new PickFixture { Seed = seed };
            DestinationState[] destinations = [.. Replicas("v1", stableReplicas), .. Replicas("v2", canaryReplicas)];

            var counts = Count(fixture.CreatePolicy(), Cluster(new Dictionary<string, int> { ["v1"] = stable, ["v2"] = canary }), destinations, Picks, VersionOf);

            Assert.InRange(Share(counts, "v2"), (canary / 1000.0) - Tolerance, (canary / 1000.0) + Tolerance);
            Assert.InRange(Share(counts, "v1"), (stable / 1000.0) - Tolerance, (stable / 1000.0) + Tolerance);
        }
    }

    [Fact]
    public void Without_weights_versions_share_by_replica_count()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3), .. Replicas("v2", 1)];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(), destinations, Picks, VersionOf);

        Assert.InRange(Share(counts, "v2"), 0.25 - Tolerance, 0.25 + Tolerance);
    }

    [Fact]
    public void A_weighted_version_without_available_replicas_gives_its_share_to_the_others()
    {
        DestinationState[] destinations = [.. Replicas("v1", 2), .. Replicas("v3", 2)];
        var weights = new Dictionary<string, int> { ["v1"] = 600, ["v2"] = 300, ["v3"] = 100 };

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(weights), destinations, Picks, VersionOf);

        Assert.InRange(Share(counts, "v1"), (6 / 7.0) - Tolerance, (6 / 7.0) + Tolerance);
    }

    [Fact]
    public void When_no_weighted_version_can_serve_the_service_is_served_unsplit()
    {
        DestinationState[] destinations = [.. Replicas("v1", 1), .. Replicas("v2", 1)];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(new Dictionary<string, int> { ["v9"] = 1000 }), destinations, 1000, VersionOf);

        Assert.Equal(2, counts.Count);
    }

    [Fact]
    public void A_version_weighted_zero_gets_no_traffic()
    {
        DestinationState[] destinations = [.. Replicas("v1", 1), .. Replicas("v2", 5)];

        var counts = Count(new PickFixture().CreatePolicy(), Cluster(new Dictionary<string, int> { ["v1"] = 1000, ["v2"] = 0 }), destinations, 10_000, VersionOf);

        Assert.Equal(["v1"], counts.Keys);
    }

    [Fact]
    public void The_header_pins_a_request_to_a_version_even_one_weighted_zero()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3), .. Replicas("v2", 1)];
        var cluster = Cluster(new Dictionary<string, int> { ["v1"] = 1000, ["v2"] = 0 });

        var counts = Count(new PickFixture().CreatePolicy(), cluster, destinations, 1000, VersionOf, c => c.Request.Headers[VersionCookie.PinHeader] = "v2");

        Assert.Equal(1000, counts["v2"]);
    }

    [Fact]
    public void The_pin_cookie_pins_a_request_to_a_version()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3), .. Replicas("v2", 1)];
        var cluster = Cluster(new Dictionary<string, int> { ["v1"] = 1000, ["v2"] = 0 });

        var counts = Count(new PickFixture().CreatePolicy(), cluster, destinations, 1000, VersionOf, c => c.Request.Headers.Cookie = "theme=dark; bollard-version=v2; x=1");

        Assert.Equal(1000, counts["v2"]);
    }

    [Fact]
    public void A_pin_to_a_version_without_replicas_falls_back_to_the_weights()
    {
        DestinationState[] destinations = [.. Replicas("v1", 3), .. Replicas("v2", 1)];
        var cluster = Cluster(new Dictionary<string, int> { ["v1"] = 1000, ["v2"] = 0 });

        var counts = Count(new PickFixture().CreatePolicy(), cluster, destinations, 1000, VersionOf, c => c.Request.Headers[VersionCookie.PinHeader] = "v7");

        Assert.Equal(1000, counts["v1"]);
    }

    [Fact]
    public void Sticky_versions_keep_a_client_on_its_version_while_it_keeps_a_weight()
    {
        var fixture = new PickFixture();
        fixture.Options.StickyVersions = true;
        var policy = fixture.CreatePolicy();
        DestinationState[] destinations = [.. Replicas("v1", 3), .. Replicas("v2", 1)];

        // First request: a version by weight, and a cookie naming it.
        var first = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var version = VersionOf(policy.PickDestination(first, Cluster(new Dictionary<string, int> { ["v1"] = 500, ["v2"] = 500 }), destinations)!);
        var setCookie = first.Response.Headers[HeaderNames.SetCookie].ToString();
        Assert.StartsWith($"{VersionCookie.StickyCookie}={version};", setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];

        // Weights move, the client stays.
        var moved = Cluster(new Dictionary<string, int> { ["v1"] = version == "v1" ? 10 : 990, ["v2"] = version == "v2" ? 10 : 990 });
        var counts = Count(policy, moved, destinations, 1000, VersionOf, c => c.Request.Headers.Cookie = cookie);
        Assert.Equal(1000, counts[version]);

        // Its version drops to zero: the client moves, and gets a new cookie.
        var dropped = Cluster(new Dictionary<string, int> { [version] = 0, [version == "v1" ? "v2" : "v1"] = 1000 });
        var next = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        next.Request.Headers.Cookie = cookie;
        var other = VersionOf(policy.PickDestination(next, dropped, destinations)!);
        Assert.NotEqual(version, other);
        Assert.StartsWith($"{VersionCookie.StickyCookie}={other};", next.Response.Headers[HeaderNames.SetCookie].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_sticky_versions_no_cookie_is_set()
    {
        DestinationState[] destinations = [.. Replicas("v1", 1), .. Replicas("v2", 1)];
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();

        new PickFixture().CreatePolicy().PickDestination(context, Cluster(new Dictionary<string, int> { ["v1"] = 500, ["v2"] = 500 }), destinations);

        Assert.Equal(0, context.Response.Headers[HeaderNames.SetCookie].Count);
    }
}

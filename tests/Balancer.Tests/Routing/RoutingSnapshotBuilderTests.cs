using Bollard.Balancer.LoadBalancing;
using Bollard.Balancer.Routing;
using Bollard.Discovery;

namespace Bollard.Balancer.Tests.Routing;

public sealed class RoutingSnapshotBuilderTests
{
    private static readonly Dictionary<string, ServiceSnapshot> NoSnapshots = [];

    [Theory]
    [InlineData(new[] { "p||/api", "h|x.test|", "hp|x.test|/api" }, new[] { "svc-hp", "svc-h", "svc-p" })]
    [InlineData(new[] { "short||/a", "long||/a/b/c" }, new[] { "svc-long", "svc-short" })]
    [InlineData(new[] { "any||", "p||/p" }, new[] { "svc-p", "svc-any" })]
    [InlineData(new[] { "p||/abcdef", "h|x|", "hs|x|/a", "hl|x|/abc" }, new[] { "svc-hl", "svc-hs", "svc-h", "svc-p" })]
    [InlineData(new[] { "b||/same", "a||/same" }, new[] { "svc-a", "svc-b" })]
    public void Routes_are_ordered_most_specific_first(string[] routes, string[] expectedIds)
    {
        var snapshot = RoutingSnapshotBuilder.Build([.. routes.Select(Route)], NoSnapshots);

        var configs = RoutingSnapshotBuilder.ToRoutes(snapshot);

        Assert.Equal(expectedIds, configs.Select(r => r.RouteId));
        Assert.Equal(configs.Select(r => r.Order), configs.Select(r => r.Order).Order());
    }

    [Theory]
    [InlineData(null, "/api", "/api/{**catch-all}")]
    [InlineData(null, "/api/", "/api/{**catch-all}")]
    [InlineData(null, "/", "/{**catch-all}")]
    [InlineData(null, null, "/{**catch-all}")]
    [InlineData(null, "/a{b}", "/a{{b}}/{**catch-all}")]
    [InlineData("x.test", "/v1", "/v1/{**catch-all}")]
    [InlineData("x.test", null, null)]
    [InlineData("x.test", "/", null)]
    public void Path_prefix_becomes_a_catch_all_template(string? host, string? prefix, string? expectedPath)
    {
        var snapshot = RoutingSnapshotBuilder.Build([new ServiceRoute("web", host, prefix)], NoSnapshots);

        var route = Assert.Single(RoutingSnapshotBuilder.ToRoutes(snapshot));

        Assert.Equal(expectedPath, route.Match.Path);
        Assert.Equal(host is null ? null : [host], route.Match.Hosts);
    }

    [Fact]
    public void Host_is_normalised_to_lower_case()
    {
        var snapshot = RoutingSnapshotBuilder.Build([new ServiceRoute("web", " Web.Example.COM ", null)], NoSnapshots);

        Assert.Equal("web.example.com", snapshot.Find("web")!.Host);
    }

    [Fact]
    public void Routes_and_cluster_ids_stay_the_same_when_destinations_change()
    {
        ServiceRoute[] routes = [new("web", "x.test", "/web"), new("api", null, "/api")];
        var before = RoutingSnapshotBuilder.Build(routes, Snapshots(Instance("web", "w1"), Instance("api", "a1")));
        var after = RoutingSnapshotBuilder.Build(routes, Snapshots(Instance("web", "w2"), Instance("web", "w3")));

        Assert.NotEqual(before, after);
        Assert.Equal(RoutingSnapshotBuilder.ToRoutes(before), RoutingSnapshotBuilder.ToRoutes(after));
        Assert.Equal(
            RoutingSnapshotBuilder.ToClusters(before).Select(c => c.ClusterId),
            RoutingSnapshotBuilder.ToClusters(after).Select(c => c.ClusterId));
    }

    [Fact]
    public void Snapshots_of_the_same_state_are_equal_whatever_the_order()
    {
        ServiceRoute[] routes = [new("web", null, "/web"), new("api", null, "/api")];
        var one = RoutingSnapshotBuilder.Build(routes, Snapshots(Instance("web", "w1"), Instance("web", "w2"), Instance("api", "a1")));
        var two = RoutingSnapshotBuilder.Build([.. routes.Reverse()], Snapshots(Instance("api", "a1"), Instance("web", "w2"), Instance("web", "w1")));

        Assert.Equal(one, two);
        Assert.Equal(one.GetHashCode(), two.GetHashCode());
    }

    [Theory]
    [InlineData("zone", "b", "1.0")]
    [InlineData("version", "a", "2.0")]
    [InlineData("port", "a", "1.0")]
    public void Snapshots_differ_when_anything_routable_differs(string what, string zone, string version)
    {
        ServiceRoute[] routes = [new("web", null, "/web")];
        var baseline = RoutingSnapshotBuilder.Build(routes, Snapshots(Instance("web", "w1") with { Zone = "a", Version = "1.0" }));
        var port = what == "port" ? 9000 : 8080;
        var changed = RoutingSnapshotBuilder.Build(routes, Snapshots(Instance("web", "w1") with { Zone = zone, Version = version, Port = port }));

        Assert.NotEqual(baseline, changed);
    }

    [Fact]
    public void Destinations_carry_address_zone_and_version_and_the_cluster_uses_the_weighted_zone_aware_policy()
    {
        var snapshot = RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web")],
            Snapshots(
                new ServiceInstance("w1", "web", "10.0.0.7", 8080, "rack-1", "v1"),
                new ServiceInstance("w2", "web", "fd00::2", 8081, "rack-2", "v2")));

        var cluster = Assert.Single(RoutingSnapshotBuilder.ToClusters(snapshot));

        Assert.Equal("svc-web", cluster.ClusterId);
        Assert.Equal(WeightedZoneAwareLoadBalancingPolicy.PolicyName, cluster.LoadBalancingPolicy);
        Assert.Equal("http://10.0.0.7:8080", cluster.Destinations!["w1"].Address);
        Assert.Equal("http://[fd00::2]:8081", cluster.Destinations["w2"].Address);
        Assert.Equal("rack-2", cluster.Destinations["w2"].Metadata![BalancerMetadata.Zone]);
        Assert.Equal("v2", cluster.Destinations["w2"].Metadata![BalancerMetadata.Version]);
        Assert.Equal("web", cluster.Metadata![BalancerMetadata.Service]);
    }

    [Fact]
    public void A_route_timeout_becomes_its_clusters_attempt_timeout_and_changing_it_alone_changes_the_snapshot()
    {
        var plain = RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web")], NoSnapshots);
        var timed = RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { Timeout = TimeSpan.FromSeconds(2) }], NoSnapshots);

        Assert.NotEqual(plain, timed);
        Assert.Null(Assert.Single(RoutingSnapshotBuilder.ToClusters(plain)).HttpRequest);
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(RoutingSnapshotBuilder.ToClusters(timed)).HttpRequest?.ActivityTimeout);
    }

    [Theory]
    [InlineData(ReplicaProtocol.Http2, "http2")]
    [InlineData(ReplicaProtocol.Grpc, "grpc")]
    public void Http2_and_grpc_replicas_are_reached_with_http2_exactly_and_the_cluster_says_which(ReplicaProtocol protocol, string label)
    {
        var snapshot = RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { Protocol = protocol, Timeout = TimeSpan.FromSeconds(3) }], NoSnapshots);
        var cluster = Assert.Single(RoutingSnapshotBuilder.ToClusters(snapshot));

        // Over plain HTTP, "2.0 exactly" is h2c with prior knowledge; YARP's default ("2.0 or lower") would be HTTP/1.1.
        Assert.Equal(System.Net.HttpVersion.Version20, cluster.HttpRequest?.Version);
        Assert.Equal(System.Net.Http.HttpVersionPolicy.RequestVersionExact, cluster.HttpRequest?.VersionPolicy);
        Assert.Equal(TimeSpan.FromSeconds(3), cluster.HttpRequest?.ActivityTimeout);
        Assert.Equal(label, cluster.Metadata![BalancerMetadata.Protocol]);
        Assert.NotEqual(snapshot, RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { Timeout = TimeSpan.FromSeconds(3) }], NoSnapshots));
    }

    [Fact]
    public void An_http1_route_leaves_the_forwarders_version_alone_and_a_redirect_is_marked_on_the_cluster()
    {
        var cluster = Assert.Single(RoutingSnapshotBuilder.ToClusters(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { HttpsRedirect = true }], NoSnapshots)));

        Assert.Null(cluster.HttpRequest);
        Assert.False(cluster.Metadata!.ContainsKey(BalancerMetadata.Protocol));
        Assert.Equal("true", cluster.Metadata[BalancerMetadata.HttpsRedirect]);
    }

    [Fact]
    public void A_routed_service_the_catalog_has_not_reported_has_no_destinations_and_unrouted_services_are_ignored()
    {
        var snapshot = RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web")],
            Snapshots(Instance("other", "o1")));

        var web = Assert.Single(snapshot.Services);
        Assert.Equal("web", web.Service);
        Assert.Empty(web.Destinations);
    }

    [Fact]
    public void Instances_that_cannot_be_connected_to_are_skipped()
    {
        var snapshot = RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web")],
            Snapshots(Instance("web", "ok"), Instance("web", "no-port") with { Port = 0 }, Instance("web", "no-address") with { Address = "" }));

        Assert.Equal(["ok"], snapshot.Find("web")!.Destinations.Select(d => d.InstanceId));
    }

    [Theory]
    [InlineData("web||/a", "web||/b")]
    [InlineData("web||api", null)]
    public void Invalid_routes_are_rejected(string first, string? second)
    {
        ServiceRoute[] routes = second is null ? [Route(first)] : [Route(first), Route(second)];

        Assert.Throws<ArgumentException>(() => RoutingSnapshotBuilder.Build(routes, NoSnapshots));
    }

    internal static ServiceInstance Instance(string service, string id) => new(id, service, "127.0.0.1", 8080, "zone-a", "v1");

    internal static Dictionary<string, ServiceSnapshot> Snapshots(params ServiceInstance[] instances) =>
        instances.GroupBy(i => i.Service).ToDictionary(g => g.Key, g => new ServiceSnapshot(g.Key, g));

    /// <summary>"service|host|path", an empty part meaning null.</summary>
    private static ServiceRoute Route(string spec)
    {
        var parts = spec.Split('|');
        return new ServiceRoute(parts[0], parts[1].Length == 0 ? null : parts[1], parts[2].Length == 0 ? null : parts[2]);
    }
}

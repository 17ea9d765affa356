using Bollard.Balancer.Health;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Microsoft.Extensions.Options;
using static Bollard.Balancer.Tests.Routing.RoutingSnapshotBuilderTests;

namespace Bollard.Balancer.Tests.Health;

public sealed class HealthCheckConfigFilterTests
{
    [Fact]
    public async Task A_change_of_the_health_path_alone_is_published_and_reaches_the_clusters_active_check()
    {
        var provider = new SnapshotProxyConfigProvider();
        var catalog = Snapshots(Instance("web", "w1"));
        provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { HealthPath = "/health" }], catalog));

        var published = provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { HealthPath = "/ready" }], catalog));

        Assert.True(published);
        Assert.Equal("/ready", await ActivePathOf(provider));
    }

    [Fact]
    public async Task Without_a_route_health_path_the_default_is_probed()
    {
        var provider = new SnapshotProxyConfigProvider();
        provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web")], Snapshots(Instance("web", "w1"))));

        Assert.Equal("/healthz-default", await ActivePathOf(provider));
    }

    // What YARP does with every cluster of a config it loads.
    private static async Task<string?> ActivePathOf(SnapshotProxyConfigProvider provider)
    {
        var options = new BalancerOptions();
        options.ActiveHealthChecks.Path = "/healthz-default";
        var filter = new HealthCheckConfigFilter(new SettingsMonitor<BalancerOptions>(options));
        var cluster = await filter.ConfigureClusterAsync(Assert.Single(provider.GetConfig().Clusters), CancellationToken.None);
        return cluster.HealthCheck?.Active?.Path;
    }
}

using Bollard.Balancer.Routing;
using Yarp.ReverseProxy.Configuration;
using static Bollard.Balancer.Tests.Routing.RoutingSnapshotBuilderTests;

namespace Bollard.Balancer.Tests.Routing;

public sealed class SnapshotProxyConfigProviderTests
{
    private static readonly ServiceRoute[] Routes = [new("web", null, "/web")];

    [Fact]
    public void Starts_empty()
    {
        var provider = new SnapshotProxyConfigProvider();

        var config = provider.GetConfig();

        Assert.Empty(config.Routes);
        Assert.Empty(config.Clusters);
        Assert.False(config.ChangeToken.HasChanged);
        Assert.Equal(0, provider.Revision);
    }

    [Fact]
    public void Publishing_a_changed_snapshot_swaps_the_config_then_cancels_the_old_token()
    {
        var provider = new SnapshotProxyConfigProvider();
        var old = provider.GetConfig();
        IProxyConfig? seenWhenSignalled = null;
        old.ChangeToken.RegisterChangeCallback(_ => seenWhenSignalled = provider.GetConfig(), null);

        var published = provider.Publish(RoutingSnapshotBuilder.Build(Routes, Snapshots(Instance("web", "w1"))));

        var current = provider.GetConfig();
        Assert.True(published);
        Assert.True(old.ChangeToken.HasChanged);
        Assert.False(current.ChangeToken.HasChanged);
        // The new config is readable by the time the old token fires.
        Assert.Same(current, seenWhenSignalled);
        Assert.Equal("svc-web", Assert.Single(current.Routes).RouteId);
        Assert.Equal(["w1"], Assert.Single(current.Clusters).Destinations!.Keys);
        Assert.NotEqual(old.RevisionId, current.RevisionId);
        Assert.Equal(1, provider.Revision);
    }

    [Fact]
    public void Publishing_an_equal_snapshot_changes_nothing()
    {
        var provider = new SnapshotProxyConfigProvider();
        provider.Publish(RoutingSnapshotBuilder.Build(Routes, Snapshots(Instance("web", "w1"))));
        var before = provider.GetConfig();

        var published = provider.Publish(RoutingSnapshotBuilder.Build(Routes, Snapshots(Instance("web", "w1"))));

        Assert.False(published);
        Assert.Same(before, provider.GetConfig());
        Assert.False(before.ChangeToken.HasChanged);
        Assert.Equal(1, provider.Revision);
    }
}

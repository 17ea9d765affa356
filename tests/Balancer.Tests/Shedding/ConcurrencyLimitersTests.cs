using Bollard.Balancer.Routing;
using Bollard.Balancer.Shedding;
using Bollard.Balancer.Tests.TestDoubles;
using Microsoft.Extensions.Options;
using static Bollard.Balancer.Tests.Routing.RoutingSnapshotBuilderTests;

namespace Bollard.Balancer.Tests.Shedding;

public sealed class ConcurrencyLimitersTests
{
    [Fact]
    public void A_service_limit_comes_from_the_published_snapshot_and_follows_it()
    {
        var provider = new SnapshotProxyConfigProvider();
        var options = new BalancerOptions();
        options.Shedding.MaxConcurrentRequests = 50;
        using var limiters = new ConcurrencyLimiters(provider, new SettingsMonitor<BalancerOptions>(options));
        var catalog = Snapshots(Instance("web", "w1"));

        provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web") { MaxConcurrentRequests = 7 }], catalog));
        var web = limiters.For("web");
        Assert.Equal(7, web.Limit);
        Assert.Equal(50, limiters.For("other").Limit);

        provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web")], catalog));
        Assert.Equal(50, web.Limit);
    }
}

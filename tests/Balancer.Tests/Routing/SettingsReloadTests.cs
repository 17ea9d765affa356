using Bollard.Balancer.Forwarding;
using Bollard.Balancer.Retries;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Shedding;
using Bollard.Balancer.Tests.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using static Bollard.Balancer.Tests.Routing.RoutingSnapshotBuilderTests;

namespace Bollard.Balancer.Tests.Routing;

/// <summary>
/// A change of the balancer's settings (the agent's reload) reaches what was built from them: the routing is published
/// again with a new settings revision on every cluster, the forwarder builds new clients for it, and the per-service
/// limits and retry budgets follow.
/// </summary>
public sealed class SettingsReloadTests
{
    [Fact]
    public async Task A_settings_change_republishes_the_routing_with_a_new_revision_on_every_cluster()
    {
        var provider = new SnapshotProxyConfigProvider();
        provider.Publish(RoutingSnapshotBuilder.Build([new ServiceRoute("web", null, "/web")], Snapshots(Instance("web", "w1"))));
        var settings = new SettingsMonitor<BalancerOptions>(new BalancerOptions());
        using var filter = new SettingsRevisionConfigFilter(settings, provider);
        var before = provider.GetConfig();
        var first = await filter.ConfigureClusterAsync(Assert.Single(before.Clusters), default);

        settings.Set(new BalancerOptions { ConnectTimeout = TimeSpan.FromSeconds(1) });

        Assert.True(before.ChangeToken.HasChanged);
        var after = provider.GetConfig();
        Assert.Equal(before.Clusters, after.Clusters);
        var second = await filter.ConfigureClusterAsync(Assert.Single(after.Clusters), default);
        Assert.Equal("0", first.Metadata![BalancerMetadata.SettingsRevision]);
        Assert.Equal("1", second.Metadata![BalancerMetadata.SettingsRevision]);
        Assert.Equal("web", second.Metadata[BalancerMetadata.Service]);
    }

    [Fact]
    public void The_forwarder_keeps_a_client_until_the_settings_revision_moves()
    {
        var settings = new SettingsMonitor<BalancerOptions>(new BalancerOptions());
        var factory = new BalancerForwarderHttpClientFactory(settings, NullLogger<ForwarderHttpClientFactory>.Instance);
        var revision0 = new Dictionary<string, string> { [BalancerMetadata.SettingsRevision] = "0" };
        using var first = factory.CreateClient(new ForwarderHttpClientContext { ClusterId = "svc-web", NewConfig = HttpClientConfig.Empty, NewMetadata = revision0 });

        var same = factory.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = "svc-web", OldClient = first, OldConfig = HttpClientConfig.Empty, OldMetadata = revision0, NewConfig = HttpClientConfig.Empty, NewMetadata = revision0,
        });
        using var renewed = factory.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = "svc-web", OldClient = first, OldConfig = HttpClientConfig.Empty, OldMetadata = revision0, NewConfig = HttpClientConfig.Empty,
            NewMetadata = new Dictionary<string, string> { [BalancerMetadata.SettingsRevision] = "1" },
        });

        Assert.Same(first, same);
        Assert.NotSame(first, renewed);
    }

    [Fact]
    public void The_default_concurrency_limit_follows_the_settings_and_a_route_limit_still_wins()
    {
        var provider = new SnapshotProxyConfigProvider();
        provider.Publish(RoutingSnapshotBuilder.Build(
            [new ServiceRoute("web", null, "/web") { MaxConcurrentRequests = 7 }, new ServiceRoute("api", null, "/api")],
            Snapshots(Instance("web", "w1"), Instance("api", "a1"))));
        var options = new BalancerOptions();
        options.Shedding.MaxConcurrentRequests = 50;
        var settings = new SettingsMonitor<BalancerOptions>(options);
        using var limiters = new ConcurrencyLimiters(provider, settings);
        var api = limiters.For("api");
        var web = limiters.For("web");

        var changed = new BalancerOptions();
        changed.Shedding.MaxConcurrentRequests = 3;
        settings.Set(changed);

        Assert.Equal(3, api.Limit);
        Assert.Equal(7, web.Limit);
    }

    [Fact]
    public void Retry_settings_and_budgets_follow_the_settings()
    {
        var settings = new SettingsMonitor<BalancerOptions>(new BalancerOptions());
        using var budgets = new RetryBudgets(settings, TimeProvider.System);
        var before = budgets.For("web");

        var changed = new BalancerOptions();
        changed.Retries.MaxRetries = 0;
        settings.Set(changed);

        Assert.Equal(0, budgets.Options.MaxRetries);
        Assert.NotSame(before, budgets.For("web"));
    }
}

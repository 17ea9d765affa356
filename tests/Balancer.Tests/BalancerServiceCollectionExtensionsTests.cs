using Bollard.Balancer.Forwarding;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Bollard.Balancer.Tests;

public sealed class BalancerServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_one_provider_for_yarp_the_tuned_forwarder_and_the_watcher()
    {
        using var services = Build(new ServiceCollection());

        var provider = services.GetRequiredService<SnapshotProxyConfigProvider>();
        Assert.Same(provider, Assert.Single(services.GetServices<IProxyConfigProvider>()));
        Assert.IsType<BalancerForwarderHttpClientFactory>(services.GetRequiredService<IForwarderHttpClientFactory>());
        Assert.Single(services.GetServices<IHostedService>().OfType<CatalogRoutingWatcher>());
    }

    [Fact]
    public void Pieces_registered_before_AddBalancer_are_kept()
    {
        var mine = new SnapshotProxyConfigProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton(mine);
        collection.AddSingleton(TimeProvider.System);

        using var services = Build(collection);

        Assert.Same(mine, services.GetRequiredService<SnapshotProxyConfigProvider>());
        Assert.Same(mine, Assert.Single(services.GetServices<IProxyConfigProvider>()));
    }

    [Theory]
    [InlineData("RoutingDebounce")]
    [InlineData("WatchRetryDelay")]
    [InlineData("ConnectTimeout")]
    public void Invalid_options_are_rejected_with_the_setting_named(string setting)
    {
        using var services = Build(new ServiceCollection(), o =>
        {
            switch (setting)
            {
                case "RoutingDebounce": o.RoutingDebounce = TimeSpan.FromMinutes(1); break;
                case "WatchRetryDelay": o.WatchRetryDelay = TimeSpan.Zero; break;
                default: o.ConnectTimeout = TimeSpan.FromSeconds(-1); break;
            }
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BalancerOptions>>().Value);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(ServiceCollection services, Action<BalancerOptions>? configure = null)
    {
        services.AddLogging();
        services.AddSingleton<IServiceCatalog>(new FakeServiceCatalog());
        services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource([]));
        services.AddBalancer(configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

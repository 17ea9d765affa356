using System.Net;
using Bollard.Balancer;
using Bollard.Balancer.Routing;
using Bollard.Discovery;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Bollard.Bench.Routing;

/// <summary>
/// Bollard's balancer composed the way AgentHost composes it (AddBalancer + MapBalancer, routes from an in-memory
/// route source, a catalog port), without the scaler, on 127.0.0.1 with a free port.
/// </summary>
internal sealed class BalancerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BalancerHost(WebApplication app)
    {
        _app = app;
        Config = app.Services.GetServices<IProxyConfigProvider>().Single();
        State = app.Services.GetRequiredService<IProxyStateLookup>();
    }

    /// <summary>What the balancer publishes to YARP (its routing snapshot as YARP config).</summary>
    public IProxyConfigProvider Config { get; }

    /// <summary>What YARP serves now.</summary>
    public IProxyStateLookup State { get; }

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <param name="catalog">The catalog to use; null for Consul at <paramref name="consul"/>.</param>
    public static async Task<BalancerHost> StartAsync(
        IServiceCatalog? catalog, Uri? consul, IEnumerable<ServiceRoute> routes, Action<BalancerOptions>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Same filters as AgentHost; the routing-change lines (Information) are written after each publish, so
        // they are left out of the measured path; warnings still show.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        if (catalog is not null)
        {
            builder.Services.AddSingleton(catalog);
        }
        else
        {
            builder.Services.AddDiscovery(discovery => discovery.UseConsul(consul!));
        }

        builder.Services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource(routes));
        builder.Services.AddBalancer(configure);
        var app = builder.Build();
        app.MapBalancer();
        await app.StartAsync();
        return new BalancerHost(app) { Address = new Uri(app.Urls.First()) };
    }

    /// <summary>YARP's cluster of a service ("svc-" + name: Bollard's id convention, visible in its logs).</summary>
    public ClusterState? Cluster(string service) => State.TryGetCluster("svc-" + service, out var cluster) ? cluster : null;

    public bool Routes(string service, string instanceId) => Cluster(service)?.Destinations.ContainsKey(instanceId) == true;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

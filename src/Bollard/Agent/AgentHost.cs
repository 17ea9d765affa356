using Bollard.Balancer;
using Bollard.Balancer.Routing;
using Bollard.Discovery;
using Bollard.Scaler;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Specs;
using Prometheus;

namespace Bollard.Agent;

/// <summary>
/// The composition root of `bollard agent`: one process with the three roles of a single host: the scaler's
/// reconcile loop against the local Docker engine, the catalog (Consul, or embedded when none is configured) and
/// the balancer on <see cref="AgentConfig.Listen"/>. /metrics and /healthz are served on <see cref="AgentConfig.Admin"/>.
/// </summary>
public static class AgentHost
{
    /// <param name="config">The agent's settings.</param>
    /// <param name="specs">The validated service specs.</param>
    /// <param name="overrides">Lets tests replace any service (every part registers with TryAdd).</param>
    public static WebApplication Build(AgentConfig config, IReadOnlyList<ServiceSpec> specs, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(specs);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSystemd();
        // Per-request framework logs would drown the agent's own decisions; warnings and errors still show.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(config.Listen);
            kestrel.Listen(config.Admin);
        });

        overrides?.Invoke(builder.Services);
        builder.Services.AddSingleton<IServiceSpecSource>(new InMemoryServiceSpecSource(specs));
        builder.Services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource(RoutesOf(specs)));
        builder.Services.AddDiscovery(discovery =>
        {
            if (config.ConsulAddress is { } consul)
            {
                discovery.UseConsul(consul);
                discovery.Consul.TokenFile = config.ConsulTokenFile;
            }
        });
        builder.Services.AddDockerRuntime(docker => docker.Endpoint = config.DockerEndpoint);
        builder.Services.AddScaler(scaler =>
        {
            scaler.Cluster = config.Cluster;
            scaler.Zone = config.Zone;
            scaler.PublishAddress = config.PublishAddress;
            scaler.AdvertiseAddress = config.AdvertiseAddress;
        });
        builder.Services.AddBalancer();

        var app = builder.Build();
        var adminPort = config.Admin.Port;
        app.MapWhen(context => context.Connection.LocalPort == adminPort, admin =>
        {
            admin.UseMetricServer("/metrics");
            admin.Run(context => AdminEndpoints.HandleAsync(context));
        });
        app.MapBalancer();
        return app;
    }

    public static IEnumerable<ServiceRoute> RoutesOf(IEnumerable<ServiceSpec> specs) =>
        specs.Where(s => s.Route is not null).Select(s => new ServiceRoute(s.Name, s.Route!.Host, s.Route.PathPrefix));
}

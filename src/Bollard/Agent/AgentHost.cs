using Bollard.Agent.Listeners;
using Bollard.Agent.Tls;
using Bollard.Balancer;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Weights;
using Bollard.Agent.Reload;
using Bollard.Agent.Systemd;
using Bollard.Dashboard;
using Bollard.Discovery;
using Bollard.Scaler;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Docker;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.RateLimiting;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Options;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;

namespace Bollard.Agent;

/// <summary>
/// The composition root of `bollard agent`: one process with the three roles of a single host: the scaler's
/// reconcile loop against the local Docker engine, the catalog (Consul, or embedded when none is configured) and
/// the balancer on <see cref="AgentConfig.Listen"/>. With <see cref="ControllerMode.Cluster"/> the reconcile loop runs
/// only on the elected controller, over every host of the cluster; each agent runs its own hosts' part. /metrics, /healthz and the admin API (/v1, bearer token) are served
/// on <see cref="AgentConfig.Admin"/> only.
/// </summary>
public static class AgentHost
{
    /// <param name="config">The agent's settings.</param>
    /// <param name="specs">The validated service specs.</param>
    /// <param name="overrides">Lets tests replace any service (every part registers with TryAdd).</param>
    /// <exception cref="SecretKeyException">The secrets key file cannot be read or created, or is readable by others.</exception>
    public static WebApplication Build(AgentConfig config, IReadOnlyList<ServiceSpec> specs, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(specs);
        if (config.Controller == ControllerMode.Cluster && config.ConsulAddress is null)
        {
            throw new ArgumentException("controller: cluster needs Consul (ConsulAddress): the hosts, the controller's commands and its lock live in Consul", nameof(config));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Per-request framework logs would drown the agent's own decisions; warnings and errors still show.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // The token handler reports every request without a token at Information, /healthz probes and scrapes included;
        // the 401 itself tells the caller.
        builder.Logging.AddFilter(typeof(AdminTokenAuthenticationHandler).FullName, LogLevel.Warning);
        // YARP warns on every request of a service with no replica to route to: a flood at the moment that matters.
        // The routing watcher logs the change to 0 destinations once, and the 503s are counted in the metrics.
        builder.Logging.AddFilter("Yarp.ReverseProxy.LoadBalancing.LoadBalancingMiddleware", LogLevel.Error);
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.ForwarderMiddleware", LogLevel.Error);
        // Hosting starts a tracing Activity for every request whenever this category logs at all, and the forwarder
        // then starts a second one and writes trace headers to the replica: two objects and a header per request that
        // nobody reads (an incoming traceparent is still forwarded). Its messages are per-request ones.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // With the runtime's socket completions inline (RuntimeTuning), Kestrel runs its continuations inline as well:
        // the proxy's request path is all asynchronous I/O, so a hop through the thread pool is pure overhead.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = RuntimeTuning.InlineSocketCompletions);
        // Certificates are loaded now: a file that cannot be used stops the start (the config check read it already).
        var tls = TlsListeners.Load(config);
        builder.Services.AddSingleton(tls);
        if (tls.All.Count > 0)
        {
            builder.Services.AddHostedService<CertificateReloader>();
        }

        // Sockets systemd holds for the agent (bollard.socket) are taken instead of bound: a restart or an upgrade then
        // refuses no connection, which waits in the kernel's backlog until the new process accepts it.
        var inherited = InheritedSockets.Take();
        KestrelListeners.CheckInherited(config, inherited);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            config.Limits.ApplyTo(kestrel.Limits);
            KestrelListeners.Bind(kestrel, config, tls, inherited);
        });
        // On SIGTERM the listeners stop accepting at once; requests in flight get this long to finish, idle keep-alive
        // connections are closed, and connections in flight are told to close after their response.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = config.ShutdownTimeout);

        overrides?.Invoke(builder.Services);
        AgentSystemd.Add(builder.Services, config);
        // After systemd's choice of the journal's format: json asked for in the config wins under systemd too.
        AgentLogging.Configure(builder, config.Log);

        // Loaded now, not when first resolved: a key that cannot be read stops the start with its own message. The
        // specs of the files get their environment digested with it before anything reads their version.
        var secrets = SecretKey.Load(config.EffectiveSecretsKeyFile, generateIfMissing: config.SecretsKeyFile is null);
        specs = [.. specs.Select(s => EnvDigests.Apply(s, secrets))];
        var specSource = new InMemoryServiceSpecSource(specs);
        builder.Services.AddSingleton(specSource);
        builder.Services.AddSingleton<IServiceSpecSource>(specSource);
        // Routes follow the applied specs in the state store on every agent (a blocking watch), as weights do.
        builder.Services.AddSingleton<IServiceRouteSource>(sp => new AppliedRouteSource(sp.GetRequiredService<IAppliedSpecsSource>()));
        builder.Services.AddDiscovery(discovery =>
        {
            if (config.ConsulAddress is { } consul)
            {
                discovery.UseConsul(consul);
                discovery.Consul.TokenFile = config.ConsulTokenFile;
                discovery.Consul.Token = config.ConsulTokenFromEnvironment ? ConsulEnvironment.Token(ConsulEnvironment.Process) : null;
                discovery.Consul.CaFile = config.ConsulCaFile;
                discovery.Consul.CertFile = config.ConsulCertFile;
                discovery.Consul.KeyFile = config.ConsulKeyFile;
            }
        });
        builder.Services.AddDockerRuntime(docker =>
        {
            docker.Endpoint = config.DockerEndpoint;
            docker.RegistryAuthFile = config.RegistryAuthFile;
            docker.PullTimeout = config.PullTimeout;
        });
        if (config.Hosts.Count > 0)
        {
            builder.Services.AddSingleton(sp => HostsOf(config, sp));
        }

        // The scaler reads load from, and drains through, the balancer of this process.
        builder.Services.AddSingleton<ILocalLoadSource, BalancerLoadSource>();
        builder.Services.AddSingleton<IServiceLoadSource>(sp => sp.GetRequiredService<ILocalLoadSource>());
        builder.Services.AddSingleton<ILocalDrain, BalancerDrain>();
        builder.Services.AddSingleton<IReplicaDrain>(sp => sp.GetRequiredService<ILocalDrain>());
        builder.Services.AddSingleton<IVersionTraffic>(sp => sp.GetRequiredService<ILocalVersionTraffic>());
        builder.Services.AddSingleton<ILocalVersionTraffic>(sp => new BalancerVersionTraffic(
            sp.GetRequiredService<ITrafficWindow>(),
            sp.GetRequiredService<InMemoryVersionWeights>(),
            config.ConsulAddress is null ? null : sp.GetRequiredService<ConsulKeyValueStore>(),
            config.Cluster));

        builder.Services.AddScaler(scaler =>
        {
            scaler.Cluster = config.Cluster;
            scaler.Zone = config.Zone;
            scaler.HostName = config.HostName;
            scaler.ZoneAvailability = config.ZoneAvailability;
            scaler.PublishAddress = config.PublishAddress;
            scaler.AdvertiseAddress = config.AdvertiseAddress;
        });
        if (config.Controller == ControllerMode.Cluster)
        {
            // Unique per agent process, also when one machine runs several (the tests do).
            var agent = $"{config.HostName}/{Guid.NewGuid().ToString("N")[..8]}";
            builder.Services.AddClusterController(cluster => cluster.Agent = agent);
        }

        // The balancer's settings follow the config's balancer block, also when a reload (SIGHUP) changes it.
        var balancerSettings = new BalancerSettingsSource(config);
        builder.Services.AddSingleton(balancerSettings);
        builder.Services.AddSingleton<IOptionsChangeTokenSource<BalancerOptions>>(balancerSettings);
        builder.Services.AddBalancer(balancerSettings.Configure);
        if (config.Source.Length > 0)
        {
            builder.Services.AddSingleton(config);
            builder.Services.AddHostedService<AgentReload>();
        }

        if (config.ConsulAddress is not null)
        {
            builder.Services.AddConsulVersionWeights();
        }

        builder.Services.AddStateStore(state =>
        {
            state.Backend = config.ConsulAddress is null ? StateBackend.Local : StateBackend.Consul;
            state.Directory = config.StateDirectory;
            state.Cluster = config.Cluster;
        });
        builder.Services.AddSecrets(secrets);
        builder.Services.AddAdminApi(admin =>
        {
            admin.TokenFile = config.AdminTokenFile;
            admin.StateDirectory = config.StateDirectory;
        });
        builder.Services.AddDashboard();

        var app = builder.Build();
        BuildInfoMetric.Publish(Prometheus.Metrics.DefaultFactory);
        AdminEndpoints.Prepare(app, config);

        // WebApplication puts authentication and authorization in front of the whole pipeline by itself when their
        // services are registered (the admin API's are) and the app did not add them; these keys are how it tells.
        // Only the admin branch authorizes, with its own middleware: the balancer's requests carry their services' own
        // credentials and must not be authenticated against the admin token, nor pay for it.
        var pipeline = (IApplicationBuilder)app;
        pipeline.Properties["__AuthenticationMiddlewareSet"] = true;
        pipeline.Properties["__AuthorizationMiddlewareSet"] = true;
        var adminPort = config.Admin.Port;
        app.MapWhen(context => context.Connection.LocalPort == adminPort, admin => admin.UseAdminApi(AdminEndpoints.Map));
        app.UseBalancerClientAddress();
        app.UseBalancerRateLimits();
        AgentSystemd.MapProbe(app, config);
        app.MapBalancer();
        return app;
    }

    /// <summary>
    /// The background services that ended with an exception. Every loop of the agent is supervised and never does
    /// (see <c>SupervisedBackgroundService</c>); one that still did stopped the host, and the process must not then exit
    /// as if it had been stopped on purpose.
    /// </summary>
    public static IReadOnlyList<string> CrashedLoops(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return [.. app.Services.GetServices<IHostedService>()
            .OfType<BackgroundService>()
            .Where(s => s.ExecuteTask is { IsFaulted: true })
            .Select(s => $"{s.GetType().Name}: {s.ExecuteTask!.Exception!.GetBaseException().Message}")];
    }

    /// <summary>The engines listed in the config, each with its own Docker client.</summary>
    private static HostSet HostsOf(AgentConfig config, IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<DockerContainerRuntime>>();
        var hosts = config.Hosts.Select(h => new ManagedHost(
            h.Name,
            h.Zone,
            h.PublishAddress,
            h.AdvertiseAddress,
            new DockerContainerRuntime(
                Options.Create(new DockerOptions { Endpoint = h.DockerEndpoint, RegistryAuthFile = config.RegistryAuthFile, PullTimeout = config.PullTimeout }), time, logger)));
        return new HostSet([.. hosts], ownsRuntimes: true);
    }

    public static IEnumerable<ServiceRoute> RoutesOf(IEnumerable<ServiceSpec> specs) =>
        specs.Where(s => s.Route is not null).Select(s => new ServiceRoute(s.Name, s.Route!.Host, s.Route.PathPrefix)
        {
            HealthPath = s.Health.Path,
            Timeout = s.Route.Timeout,
            MaxConcurrentRequests = s.Route.MaxConcurrentRequests,
            SlowStartWindow = s.Route.SlowStart,
            Protocol = s.Route.Protocol switch
            {
                RouteProtocol.Http2 => ReplicaProtocol.Http2,
                RouteProtocol.Grpc => ReplicaProtocol.Grpc,
                _ => ReplicaProtocol.Http1,
            },
            HttpsRedirect = s.Route.HttpsRedirect,
            RateLimit = s.Route.RateLimit is { } rate ? new RouteRateLimit(rate.PerSecond, rate.Burst, rate.Header) : null,
        });
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using ServiceSpec = Bollard.Scaler.Specs.ServiceSpec;
using HostConfig = Bollard.Agent.HostConfig;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// Runs the real agent in-process (real Docker engine, real catalog, real balancer on loopback) for one test cluster,
/// and removes every container of that cluster when disposed.
/// </summary>
internal sealed class AgentFixture : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private WebApplication? _app;

    public AgentFixture(string service, int replicas, Uri? consul = null)
        : this(service, $"replicas: {replicas}", consul)
    {
    }

    /// <param name="service">The service name.</param>
    /// <param name="scaling">YAML lines for the spec's replicas/autoscaling/placement fields.</param>
    /// <param name="consul">Consul's address, or null for the embedded catalog.</param>
    /// <param name="hosts">Engines standing for hosts in zones; null for the default engine alone.</param>
    /// <param name="cluster">The cluster to join (several agents of one cluster); null for a fresh one.</param>
    /// <param name="controller">Who reconciles: this agent alone, or the cluster's elected controller.</param>
    public AgentFixture(string service, string scaling, Uri? consul = null, IReadOnlyList<HostConfig>? hosts = null, string? cluster = null, ControllerMode controller = ControllerMode.Local)
    {
        Service = service;
        Docker = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
        Config = new AgentConfig
        {
            Cluster = cluster ?? TestEnvironment.UniqueName("agent"),
            Zone = "zone-a",
            Listen = new IPEndPoint(IPAddress.Loopback, FreePort()),
            Admin = new IPEndPoint(IPAddress.Loopback, FreePort()),
            DockerEndpoint = TestEnvironment.DockerEndpoint.ToString(),
            ConsulAddress = consul,
            StateDirectory = Path.Combine(Path.GetTempPath(), TestEnvironment.UniqueName("state")),
            Hosts = hosts ?? [],
            Controller = controller,
        };
        Engines = [.. (hosts ?? []).Select(h => new DockerClientConfiguration(new Uri(h.DockerEndpoint)).CreateClient())];
        WriteClusterKey(Config);
        // A real spec file, as an operator's: rollouts edit the applied files.
        var services = Path.Combine(Config.StateDirectory, "services");
        Directory.CreateDirectory(services);
        File.WriteAllText(Path.Combine(services, $"{service}.yaml"), $"""
            name: {service}
            image: {TestEnvironment.SampleImage}:v1
            port: 8080
            {scaling.ReplaceLineEndings("\n").TrimEnd()}
            health:
              interval: 500ms
            route:
              pathPrefix: /
            drainTimeout: 1s
            stopGracePeriod: 2s
            """);
        Specs = SpecLoader.LoadPath(services);
    }

    public string Service { get; }

    public AgentConfig Config { get; }

    /// <summary>The specs the agent starts with; a test may change them between a stop and a start (files edited while the agent was down).</summary>
    public IReadOnlyList<ServiceSpec> Specs { get; set; }

    public DockerClient Docker { get; }

    /// <summary>Clients of the engines listed as hosts (empty when only the default engine is used).</summary>
    public IReadOnlyList<DockerClient> Engines { get; }

    public Uri Balancer => new($"http://{Config.Listen}/");

    public Uri Admin => new($"http://{Config.Admin}/");

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the agent is not running");

    /// <summary>Replaces services of the agent before it starts (e.g. shorter timings).</summary>
    public Action<IServiceCollection>? Overrides { get; init; }

    public async Task StartAsync()
    {
        _app = AgentHost.Build(Config, Specs, services =>
        {
            // Warnings and errors only: the agent's decisions would drown the test output.
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Warning);
            Overrides?.Invoke(services);
        });
        await _app.StartAsync();
    }

    /// <summary>Stops the daemon as systemd would (its replicas keep running).</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>The replica ids that answered <paramref name="requests"/> requests through the balancer; a failed
    /// request counts as the id "error".</summary>
    public async Task<List<string>> AskAsync(int requests)
    {
        var replicas = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            try
            {
                using var response = await _http.GetAsync(Balancer);
                var body = await response.Content.ReadAsStringAsync();
                replicas.Add(response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("replica").GetString()! : $"error {(int)response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                replicas.Add("error");
            }
        }

        return replicas;
    }

    /// <summary>The running containers of this test's cluster, by full id.</summary>
    public async Task<List<ContainerListResponse>> RunningContainersAsync() =>
        [.. await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Config.Cluster}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        })];

    /// <summary>Running replicas per zone label, over the default engine and every listed engine that answers.</summary>
    public async Task<Dictionary<string, int>> RunningPerZoneAsync()
    {
        var zones = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var engine in AllEngines)
        {
            try
            {
                foreach (var container in await ListAsync(engine, all: false))
                {
                    var zone = container.Labels[ContainerLabels.Zone];
                    zones[zone] = zones.GetValueOrDefault(zone) + 1;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // A stopped engine runs nothing.
            }
        }

        return zones;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var engine in AllEngines)
        {
            try
            {
                foreach (var container in await ListAsync(engine, all: true))
                {
                    try
                    {
                        await engine.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
                    }
                    catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
                    {
                        // Removed meanwhile by a removal the agent had under way when it stopped.
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // An engine a test stopped: its containers went with it (.ci/run removes any left by label).
            }
        }

        foreach (var engine in Engines)
        {
            engine.Dispose();
        }

        Docker.Dispose();
        _http.Dispose();
        if (Directory.Exists(Config.StateDirectory))
        {
            Directory.Delete(Config.StateDirectory, recursive: true);
        }
    }

    private IEnumerable<DockerClient> AllEngines => Engines.Count > 0 ? Engines : [Docker];

    private async Task<IList<ContainerListResponse>> ListAsync(DockerClient engine, bool all) =>
        await engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Config.Cluster}"] = true },
            },
        });

    /// <summary>
    /// Every agent of a cluster holds the same secrets key (an operator copies the first agent's file): here each
    /// fixture writes its own copy, derived from the cluster's name, where the agent looks for it (its state directory).
    /// </summary>
    private static void WriteClusterKey(AgentConfig config)
    {
        Directory.CreateDirectory(config.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"test secrets key of {config.Cluster}"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using var stream = new FileStream(config.EffectiveSecretsKeyFile, options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

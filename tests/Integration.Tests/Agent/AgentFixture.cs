using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using ServiceSpec = Bollard.Scaler.Specs.ServiceSpec;
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
    {
        Service = service;
        Docker = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
        Config = new AgentConfig
        {
            Cluster = TestEnvironment.UniqueName("agent"),
            Zone = "zone-a",
            Listen = new IPEndPoint(IPAddress.Loopback, FreePort()),
            Admin = new IPEndPoint(IPAddress.Loopback, FreePort()),
            DockerEndpoint = TestEnvironment.DockerEndpoint.ToString(),
            ConsulAddress = consul,
            StateDirectory = Path.Combine(Path.GetTempPath(), TestEnvironment.UniqueName("state")),
        };
        Specs = SpecLoader.LoadTexts([("test.yaml", $"""
            name: {service}
            image: {TestEnvironment.SampleImage}:v1
            port: 8080
            replicas: {replicas}
            health:
              interval: 500ms
            route:
              pathPrefix: /
            drainTimeout: 1s
            stopGracePeriod: 2s
            """)]);
    }

    public string Service { get; }

    public AgentConfig Config { get; }

    public IReadOnlyList<ServiceSpec> Specs { get; }

    public DockerClient Docker { get; }

    public Uri Balancer => new($"http://{Config.Listen}/");

    public Uri Admin => new($"http://{Config.Admin}/");

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the agent is not running");

    public async Task StartAsync()
    {
        // Warnings and errors only: the agent's decisions would drown the test output.
        _app = AgentHost.Build(Config, Specs, services => services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Warning));
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        var all = await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Config.Cluster}"] = true },
            },
        });
        foreach (var container in all)
        {
            await Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        Docker.Dispose();
        _http.Dispose();
        if (Directory.Exists(Config.StateDirectory))
        {
            Directory.Delete(Config.StateDirectory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

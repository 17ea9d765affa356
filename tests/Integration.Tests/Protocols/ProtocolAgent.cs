using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bollard.Agent;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>
/// The real agent, in this process, built from an agent.yaml and spec files on disk exactly as `bollard agent` reads
/// them (so the listeners: block goes through the config reader), with replicas of the sample image on the real Docker
/// engine. Ports are free ones: the texts name them as {port:NAME}, replaced before the files are written. Removes
/// every container of its cluster when disposed.
/// </summary>
internal sealed class ProtocolAgent : IAsyncDisposable
{
    private readonly Dictionary<string, int> _ports = [];
    private WebApplication? _app;

    /// <param name="agentYaml">agent.yaml lines besides cluster, zone, stateDir, services and docker (listeners, admin, tls).</param>
    /// <param name="specs">Spec files by file name; {image} is the sample image without its tag.</param>
    public ProtocolAgent(string agentYaml, IReadOnlyDictionary<string, string> specs)
    {
        Cluster = TestEnvironment.UniqueName("proto");
        Directory = System.IO.Directory.CreateTempSubdirectory("bollard-proto-").FullName;
        var services = Path.Combine(Directory, "services");
        System.IO.Directory.CreateDirectory(services);
        foreach (var (name, text) in specs)
        {
            File.WriteAllText(Path.Combine(services, name), Fill(text));
        }

        ConfigFile = Path.Combine(Directory, "agent.yaml");
        File.WriteAllText(ConfigFile, Fill($"""
            cluster: {Cluster}
            zone: zone-a
            stateDir: state
            services: services
            docker: {"{"}endpoint: "{TestEnvironment.DockerEndpoint}"{"}"}
            {agentYaml.ReplaceLineEndings("\n").Trim()}
            """));
        Docker = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
    }

    public string Cluster { get; }

    public string Directory { get; }

    public string ConfigFile { get; }

    public DockerClient Docker { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the agent is not running");

    public string TokenFile => Path.Combine(Directory, "state", Bollard.Scaler.Admin.AdminToken.DefaultFileName);

    /// <summary>The port a {port:NAME} placeholder became.</summary>
    public int Port(string name) => _ports[name];

    public async Task StartAsync()
    {
        var config = AgentConfigLoader.Load(ConfigFile);
        _app = AgentHost.Build(config, SpecLoader.LoadPath(config.ServicesPath), services =>
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Warning));
        await _app.StartAsync();
    }

    /// <summary>An admin API client carrying the agent's token (plain HTTP admin listener on <paramref name="admin"/>).</summary>
    public HttpClient AdminClient(string admin)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port(admin)}/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(TokenFile).Trim());
        return client;
    }

    /// <summary>Waits until <paramref name="url"/> answers 200 through the balancer (its replicas are up and routed).</summary>
    public static async Task WaitServedAsync(HttpClient client, Uri url) =>
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await client.GetAsync(url);
                return response.StatusCode == HttpStatusCode.OK;
            },
            $"{url} answering 200 through the balancer",
            TimeSpan.FromSeconds(120));

    /// <summary>The running containers of this agent's cluster.</summary>
    public async Task<List<ContainerListResponse>> RunningContainersAsync() =>
        [.. await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        })];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            foreach (var container in await Docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster}"] = true } },
            }))
            {
                await Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
        }
        catch (DockerApiException)
        {
            // Removed meanwhile; .ci/run removes anything left by label.
        }

        Docker.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private string Fill(string text)
    {
        text = text.Replace("{image}", TestEnvironment.SampleImage, StringComparison.Ordinal);
        while (text.IndexOf("{port:", StringComparison.Ordinal) is var start and >= 0)
        {
            var end = text.IndexOf('}', start);
            var name = text[(start + 6)..end];
            if (!_ports.TryGetValue(name, out var port))
            {
                port = FreePort();
                _ports[name] = port;
            }

            text = string.Concat(text.AsSpan(0, start), port.ToString(System.Globalization.CultureInfo.InvariantCulture), text.AsSpan(end + 1));
        }

        return text;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

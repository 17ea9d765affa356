using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bollard.Agent;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// The real `bollard agent` executable as an operator runs it: a config file and a spec directory on disk, the daemon in
/// its own process (real Docker, the embedded catalog or a real Consul, the balancer and admin listener on loopback).
/// Keeps what the process printed (bounded) and removes every container of its cluster when disposed.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private const int MaxOutputLines = 20_000;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    /// <param name="specs">Spec files by file name (e.g. "web.yaml" -> its YAML).</param>
    /// <param name="consul">Consul's address, or null for the embedded catalog.</param>
    /// <param name="extraConfig">More agent.yaml lines (e.g. "controller: cluster").</param>
    /// <param name="cluster">The cluster to join (several agents of one cluster); null for a fresh one.</param>
    /// <param name="host">This agent's host name (unique in a cluster); null for the machine's name.</param>
    /// <param name="zone">This agent's zone.</param>
    /// <param name="docker">Its Docker engine; null for the default one.</param>
    /// <param name="consulBlock">The whole consul block, in flow style (e.g. "{address: https://..., caFile: ca.pem}"), instead of one made of <paramref name="consul"/>.</param>
    public AgentProcess(IReadOnlyDictionary<string, string> specs, Uri? consul = null, string extraConfig = "", string? cluster = null, string? host = null, string zone = "zone-a", string? docker = null, string? consulBlock = null)
    {
        Cluster = cluster ?? TestEnvironment.UniqueName("proc");
        var engine = docker ?? TestEnvironment.DockerEndpoint.ToString();
        Directory = System.IO.Directory.CreateTempSubdirectory("bollard-agent-").FullName;
        Listen = new IPEndPoint(IPAddress.Loopback, FreePort());
        AdminEndPoint = new IPEndPoint(IPAddress.Loopback, FreePort());
        var services = Path.Combine(Directory, "services");
        System.IO.Directory.CreateDirectory(services);
        foreach (var (name, text) in specs)
        {
            File.WriteAllText(Path.Combine(services, name), text);
        }

        ConfigFile = Path.Combine(Directory, "agent.yaml");
        File.WriteAllText(ConfigFile, $"""
            cluster: {Cluster}
            zone: {zone}
            {(host is null ? "" : $"host: {host}")}
            listen: {Listen}
            admin: {AdminEndPoint}
            stateDir: state
            services: services
            docker: {"{"}endpoint: "{engine}"{"}"}
            {(consulBlock is not null ? $"consul: {consulBlock}" : consul is null ? "" : $"consul: {{address: \"{consul}\"}}")}
            {extraConfig.ReplaceLineEndings("\n").Trim()}
            """);
        Docker = new DockerClientConfiguration(new Uri(engine)).CreateClient();
        if (cluster is not null)
        {
            WriteClusterKey(Path.Combine(StateDirectory, Bollard.Scaler.Secrets.SecretKey.DefaultFileName), cluster);
        }
    }

    public string Cluster { get; }

    /// <summary>Environment variables of the process (e.g. CONSUL_HTTP_ADDR), set before <see cref="StartAsync"/>.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Directory { get; }

    public string ConfigFile { get; }

    public IPEndPoint Listen { get; }

    public IPEndPoint AdminEndPoint { get; }

    public Uri Balancer => new($"http://{Listen}/");

    public Uri Admin => new($"http://{AdminEndPoint}/");

    public string StateDirectory => Path.Combine(Directory, "state");

    public string TokenFile => Path.Combine(StateDirectory, Bollard.Scaler.Admin.AdminToken.DefaultFileName);

    public DockerClient Docker { get; }

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>What the process printed so far (stdout and stderr, in order of arrival).</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>
    /// Listening sockets to pass to each start by systemd's protocol (LISTEN_FDS, descriptors from 3), as bollard.socket
    /// does: the test holds them, as systemd would, across the processes it starts.
    /// </summary>
    public IReadOnlyList<System.Net.Sockets.Socket> InheritedSockets { get; set; } = [];

    /// <summary>Starts the executable and waits until its admin listener answers /healthz.</summary>
    public async Task StartAsync()
    {
        Launch();
        await Eventually.TrueAsync(
            async () => HasExited
                ? throw new InvalidOperationException($"bollard agent exited with {ExitCode}:\n{string.Join('\n', Output)}")
                : (await _http.GetAsync(new Uri(Admin, "/healthz"))).IsSuccessStatusCode,
            "the agent's /healthz answering",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts the executable and waits for it to exit by itself (e.g. refusing its config), giving its exit code.</summary>
    public async Task<int> RunToExitAsync(TimeSpan timeout)
    {
        Launch();
        using var wait = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    private void Launch()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "bollard.dll");
        var start = new ProcessStartInfo(InheritedSockets.Count == 0 ? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        if (InheritedSockets.Count > 0)
        {
            // A shell moves the sockets to descriptors 3, 4, ... and names its own pid (which exec keeps) in LISTEN_PID.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(SocketActivationSupervisor.Script(InheritedSockets));
            start.ArgumentList.Add("bollard");
            start.ArgumentList.Add("dotnet");
        }

        foreach (var argument in new[] { dll, "agent", "--config", ConfigFile })
        {
            start.ArgumentList.Add(argument);
        }

        // One agent of many on a shared test machine: workstation GC keeps its memory small.
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        _process = SocketActivationSupervisor.Start(start, InheritedSockets);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>An HTTP client for the admin API carrying the agent's token.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Admin, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(TokenFile).Trim());
        return client;
    }

    /// <summary>The replica id that answered one GET through the balancer, or "error ..." when it failed.</summary>
    public async Task<string> AskAsync(string path = "/")
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(Balancer, path));
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("replica").GetString()!
                : $"error {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"error {e.GetType().Name}";
        }
    }

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

    /// <summary>
    /// The same agent built in this process from the same files, not started: its services (e.g. the admin endpoints)
    /// can be inspected. Dispose it.
    /// </summary>
    public WebApplication BuildInProcess()
    {
        var config = AgentConfigLoader.Load(ConfigFile);
        return AgentHost.Build(config, SpecLoader.LoadPath(config.ServicesPath));
    }

    /// <summary>Sends a signal to the process (TERM for a stop as systemd does it, STOP/CONT to freeze it).</summary>
    public void Signal(string signal)
    {
        if (HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process!.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Stops the daemon as systemd would (SIGTERM), killing it if it has not exited within the timeout.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        Signal("CONT");
        Signal("TERM");
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Removed meanwhile, or the engine is gone (a test stopped it); .ci/run removes anything left by label.
        }

        Docker.Dispose();
        _http.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < MaxOutputLines)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>
    /// Every agent of a cluster holds the same secrets key (an operator copies the first agent's file): each process of
    /// a cluster gets its own copy, derived from the cluster's name, where the agent looks for it (its state directory).
    /// </summary>
    private static void WriteClusterKey(string file, string cluster)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"test secrets key of {cluster}"));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using var stream = new FileStream(file, options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>
/// A Consul dev agent of one test alone, on free loopback ports; never the shared one on 8500, so that a test may kill
/// it or freeze it (SIGSTOP, the harder case for timeouts: connections stay open and nothing answers).
/// </summary>
internal sealed class ConsulTestAgent : IDisposable
{
    private const string Binary = "/opt/consul/usr/bin/consul";
    private readonly Process _process;
    private readonly string _dataDir;

    private ConsulTestAgent(Process process, Uri address, int serfLanPort, string dataDir)
    {
        _process = process;
        Address = address;
        SerfLanPort = serfLanPort;
        _dataDir = dataDir;
    }

    public Uri Address { get; }

    /// <summary>The port other agents join this one on.</summary>
    public int SerfLanPort { get; }

    /// <summary>A dev server: a datacenter of its own.</summary>
    public static Task<ConsulTestAgent> StartAsync() => StartAsync(join: null);

    /// <summary>
    /// A client agent joined to <paramref name="server"/>, as each host of a real cluster runs one: it answers the
    /// catalog, KV and sessions through the server, and holds the registrations of its own host.
    /// </summary>
    public static Task<ConsulTestAgent> StartClientAsync(ConsulTestAgent server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return StartAsync(join: server);
    }

    private static async Task<ConsulTestAgent> StartAsync(ConsulTestAgent? join)
    {
        var (http, serf, wan, server) = (FreePort(), FreePort(), FreePort(), FreePort());
        var dataDir = Directory.CreateTempSubdirectory("bollard-consul-").FullName;
        var log = Path.Combine(dataDir, "consul.log");
        var mode = join is null
            ? $"-dev -node test-{http} -serf-wan-port -1"
            : $"-data-dir {Path.Combine(dataDir, "data")} -node client-{http} -serf-wan-port {wan} -retry-join 127.0.0.1:{join.SerfLanPort}";
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c",
                $"exec {Binary} agent {mode} -client 127.0.0.1 -bind 127.0.0.1 -http-port {http} -serf-lan-port {serf} -server-port {server} -dns-port -1 -grpc-port -1 >{log} 2>&1",
            },
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("consul did not start");
        var agent = new ConsulTestAgent(process, new Uri($"http://127.0.0.1:{http}"), serf, dataDir);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async () => (await client.GetStringAsync(new Uri(agent.Address, "/v1/status/leader"))).Contains(':', StringComparison.Ordinal),
            $"the test's Consul agent on {agent.Address} has a leader (log: {log})",
            TimeSpan.FromSeconds(30));

        // Sessions are made on the agent's node, bound to its serfHealth: the node must be in the catalog first.
        var node = join is null ? $"test-{http}" : $"client-{http}";
        await Eventually.TrueAsync(
            async () => (await client.GetStringAsync(new Uri(agent.Address, $"/v1/health/node/{node}"))).Contains("serfHealth", StringComparison.Ordinal),
            $"the test's Consul agent {node} in the catalog (log: {log})",
            TimeSpan.FromSeconds(30));
        return agent;
    }

    /// <summary>SIGSTOP: the agent keeps its sockets but answers nothing until <see cref="Resume"/>.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Resume() => Signal("CONT");

    public void Kill()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.Kill();
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

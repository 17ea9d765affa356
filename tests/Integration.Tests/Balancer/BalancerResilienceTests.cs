using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bollard.IntegrationTests.Agent;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Balancer;

/// <summary>
/// The real agent (real Docker, real catalog, real balancer on loopback) under steady bounded load while replicas
/// fail: no request the client sends may fail.
/// </summary>
public sealed class BalancerResilienceTests
{
    [Fact]
    public async Task A_replica_killed_under_load_fails_no_idempotent_request()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("kill"), replicas: 3);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(30)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 3, "3 replicas serving");

        // Bounds sized for a loaded shared machine (the sample app may then serve only ~100 req/s): the load stops by
        // itself after 2 minutes, and a step that cannot finish in time fails as a timeout, never as a lost request.
        await using var load = new SteadyLoad(agent.Balancer, limit: TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => load.Succeeded >= 200, "load running");
        var victim = (await agent.RunningContainersAsync())[0].ID;
        await agent.Docker.Containers.KillContainerAsync(victim, new ContainerKillParameters());
        var killedAt = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= killedAt + 1000, "1000 more requests served after the kill", TimeSpan.FromSeconds(90));
        await load.StopAsync();

        Assert.Empty(load.Failures);
    }

    [Fact]
    public async Task A_consul_outage_leaves_the_balancer_serving()
    {
        using var consul = await ConsulAgent.StartAsync();
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("outage"), replicas: 2, consul.Address);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(20)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 2, "2 replicas serving through Consul");

        await using var load = new SteadyLoad(agent.Balancer, loops: 2);
        await Eventually.TrueAsync(() => load.Succeeded >= 100, "load running");
        consul.Kill();
        var killedAt = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= killedAt + 500, "500 more requests served without Consul");
        await load.StopAsync();

        Assert.Empty(load.Failures);
    }

    /// <summary>A Consul dev agent of this test alone, on free loopback ports; never the shared one on 8500.</summary>
    private sealed class ConsulAgent : IDisposable
    {
        private const string Binary = "/opt/consul/usr/bin/consul";
        private readonly Process _process;
        private readonly string _dataDir;

        private ConsulAgent(Process process, Uri address, string dataDir)
        {
            _process = process;
            Address = address;
            _dataDir = dataDir;
        }

        public Uri Address { get; }

        public static async Task<ConsulAgent> StartAsync()
        {
            var (http, serf, server) = (FreePort(), FreePort(), FreePort());
            var dataDir = Directory.CreateTempSubdirectory("bollard-consul-").FullName;
            var log = Path.Combine(dataDir, "consul.log");
            var start = new ProcessStartInfo("/bin/sh")
            {
                ArgumentList =
                {
                    "-c",
                    $"exec {Binary} agent -dev -node outage-{http} -client 127.0.0.1 -bind 127.0.0.1 -http-port {http} -serf-lan-port {serf} -serf-wan-port -1 -server-port {server} -dns-port -1 -grpc-port -1 >{log} 2>&1",
                },
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("consul did not start");
            var agent = new ConsulAgent(process, new Uri($"http://127.0.0.1:{http}"), dataDir);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.TrueAsync(
                async () => (await client.GetStringAsync(new Uri(agent.Address, "/v1/status/leader"))).Contains(':', StringComparison.Ordinal),
                $"the test's Consul agent on {agent.Address} has a leader (log: {log})",
                TimeSpan.FromSeconds(30));
            return agent;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
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

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

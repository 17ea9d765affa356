using System.Net.Http.Json;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Traffic;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using HostConfig = Bollard.Agent.HostConfig;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Two agents of one cluster, each owning one real engine in its own zone, with the real Consul agent: one of them is
/// elected controller and runs the service's replicas over both hosts; when it stops, the other takes over.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ClusterControllerTests
{
    [Fact]
    public async Task Two_agents_run_one_set_of_replicas_and_the_survivor_takes_over_from_a_stopped_controller()
    {
        var engines = TestEnvironment.ZoneEngines();
        var cluster = TestEnvironment.UniqueName("cluster");
        var service = TestEnvironment.UniqueName("multi");
        await using var a = Agent(service, cluster, new HostConfig("a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), "127.0.0.1", null));
        await using var b = Agent(service, cluster, new HostConfig(engines[0], "zone-b", TestEnvironment.EngineEndpoint(engines[0]), "127.0.0.1", null));
        try
        {
            await Task.WhenAll(a.StartAsync(), b.StartAsync());

            // Four replicas in all, two per host: one controller decided for both hosts (two would have run eight).
            await Eventually.TrueAsync(
                async () => await RunningAsync(a) == 2 && await RunningAsync(b) == 2,
                "2 replicas on each host",
                TimeSpan.FromSeconds(45));
            await Eventually.TrueAsync(async () => await PassingAsync(service) == 4, "4 passing instances in Consul", TimeSpan.FromSeconds(30));
            var (leader, follower) = Leads(a) ? (a, b) : (b, a);
            Assert.False(Leads(follower));
            Assert.Null(follower.Services.GetRequiredService<Reconciler>().LastPlan);
            Assert.Equal(2, await RunningAsync(a));
            Assert.Equal(2, await RunningAsync(b));

            // The other host's CPU readings reach the controller with its report (for the cpu metric).
            var remote = leader.Services.GetRequiredService<HostSet>()[follower.Config.Hosts[0].Name].Runtime;
            var remoteReplica = (await RunningIdsAsync(follower)).First();
            await Eventually.TrueAsync(async () => await remote.SampleCpuAsync(remoteReplica, CancellationToken.None) is not null, "a CPU reading of the other host's replica", TimeSpan.FromSeconds(10));

            // Requests through the other agent's balancer count in the controller's autoscaling load, though its
            // own balancer sees none of them.
            var load = leader.Services.GetRequiredService<IServiceLoadSource>();
            await Eventually.TrueAsync(
                async () => (await follower.AskAsync(20)).All(r => !r.StartsWith("error", StringComparison.Ordinal))
                    && await load.ReadAsync(service, 4, CancellationToken.None) is { RequestsPerSecond: > 0 },
                "the other balancer's requests in the controller's load",
                TimeSpan.FromSeconds(20));
            Assert.False((await leader.Services.GetRequiredService<ILocalLoadSource>().ReadAsync(service, 4, CancellationToken.None))?.HasTraffic ?? false);

            // And in its canary analysis: the version's requests over the analysis window include the other balancer's.
            var version = (await leader.RunningContainersAsync()).First().Labels[ContainerLabels.Version];
            var versions = leader.Services.GetRequiredService<IVersionTraffic>();
            await Eventually.TrueAsync(
                async () => (await follower.AskAsync(20)).All(r => !r.StartsWith("error", StringComparison.Ordinal))
                    && versions.Read(service, version, RolloutDefaults.AnalysisInterval) is { Requests: > 0 },
                "the other balancer's requests in the controller's version traffic",
                TimeSpan.FromSeconds(20));
            Assert.Equal(0, leader.Services.GetRequiredService<ILocalVersionTraffic>().Read(service, version, RolloutDefaults.AnalysisInterval)?.Requests ?? 0);

            // The controller stops (its replicas keep running). The other agent takes the lock, sees the stopped
            // agent's host as unreachable, keeps its own replicas and replaces the lost capacity on its own host.
            var kept = await RunningIdsAsync(follower);
            var orphans = await RunningIdsAsync(leader);
            await leader.StopAsync();
            await Eventually.TrueAsync(() => Leads(follower), "the other agent controls the cluster", TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(
                async () => await RunningIdsAsync(follower) is var now && now.Count == 4 && kept.All(now.Contains),
                "4 replicas on the surviving host, its first 2 among them",
                TimeSpan.FromSeconds(45));
            Assert.Equal(orphans, await RunningIdsAsync(leader));
            await Eventually.TrueAsync(async () => await PassingAsync(service, follower.Config.Hosts[0].Zone) == 4, "4 passing instances in the surviving zone", TimeSpan.FromSeconds(30));
        }
        finally
        {
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await new ConsulKeyValueStore(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress }).DeleteTreeAsync(ClusterKeys.ClusterPrefix(cluster), CancellationToken.None);
        }
    }

    // The defaults hand over at once: the stopped controller releases its lock, and the other one is woken by the
    // change of the lock's key.
    private static AgentFixture Agent(string service, string cluster, HostConfig host) =>
        new(service, "replicas: 4", TestEnvironment.ConsulAddress, [host], cluster, ControllerMode.Cluster);

    private static bool Leads(AgentFixture agent) => agent.Services.GetRequiredService<LeaderGate>().IsOpen;

    /// <summary>How many containers of the agent's cluster run on the agent's own engine (shared with the other cluster tests).</summary>
    internal static async Task<int> RunningAsync(AgentFixture agent) => (await RunningIdsAsync(agent)).Count;

    /// <summary>The running containers of the agent's cluster on the agent's own engine.</summary>
    private static async Task<HashSet<string>> RunningIdsAsync(AgentFixture agent)
    {
        var containers = await agent.Engines[0].Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"io.bollard.cluster={agent.Config.Cluster}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        return [.. containers.Select(c => c.ID)];
    }

    private static async Task<int> PassingAsync(string service, string? zone = null)
    {
        using var http = new HttpClient();
        var entries = await http.GetFromJsonAsync<JsonElement>(new Uri(TestEnvironment.ConsulAddress, $"/v1/health/service/{service}?passing=true"));
        return entries.EnumerateArray().Count(e => zone is null || e.GetProperty("Service").GetProperty("Meta").TryGetProperty("zone", out var z) && z.GetString() == zone);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Balancer;
using Bollard.Balancer.Draining;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.DependencyInjection;
using HostConfig = Bollard.Agent.HostConfig;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Two agents of one cluster with the real Consul agent and two real engines: a replica the controller removes is
/// stopped only once the other agent's balancer has finished the requests it sent it.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ClusterDrainTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_replica_the_controller_removes_first_finishes_the_requests_another_agents_balancer_sent_it()
    {
        var engines = TestEnvironment.ZoneEngines();
        var cluster = TestEnvironment.UniqueName("cdrain");
        var service = TestEnvironment.UniqueName("cdrain");
        await using var a = Agent(service, cluster, new HostConfig("a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), "127.0.0.1", null));
        await using var b = Agent(service, cluster, new HostConfig(engines[0], "zone-b", TestEnvironment.EngineEndpoint(engines[0]), "127.0.0.1", null));
        try
        {
            await Task.WhenAll(a.StartAsync(), b.StartAsync());
            await Eventually.TrueAsync(async () => (await PassingAsync(service)).Count == 2, "2 passing instances in Consul", TimeSpan.FromSeconds(45));
            var (leader, follower) = a.Services.GetRequiredService<LeaderGate>().IsOpen ? (a, b) : (b, a);

            await Eventually.TrueAsync(
                async () => (await follower.AskAsync(10)).Where(r => !r.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == 2,
                "the other agent's balancer answering from both replicas",
                TimeSpan.FromSeconds(20));

            // Every replica answers slowly, and the other agent's balancer has requests in flight to both.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            foreach (var (address, port) in (await PassingAsync(service)).Values)
            {
                using var set = await http.PostAsync(new Uri($"http://{address}:{port}/admin/config?latencyMs={(int)Slow.TotalMilliseconds}"), null);
                set.EnsureSuccessStatusCode();
            }

            var requests = Enumerable.Range(0, 4).Select(_ => http.GetAsync(follower.Balancer)).ToList();
            var busy = follower.Services.GetRequiredService<IDrainMonitor>();
            await Eventually.TrueAsync(() => Task.FromResult(busy.Busy().Count == 2), "requests in flight to both replicas through the other agent's balancer", TimeSpan.FromSeconds(10));

            // The controller scales in to one replica while those requests are still running.
            var applied = await leader.Services.GetRequiredService<IControlPlane>().ApplyAsync([new SpecFile($"{service}.yaml", Spec(service, 1))], "test", CancellationToken.None);
            Assert.Single(applied.Plan.Services);

            foreach (var response in await Task.WhenAll(requests))
            {
                using (response)
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }

            await Eventually.TrueAsync(async () => await ClusterControllerTests.RunningAsync(a) + await ClusterControllerTests.RunningAsync(b) == 1, "one replica left running", TimeSpan.FromSeconds(45));
        }
        finally
        {
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await new ConsulKeyValueStore(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress }).DeleteTreeAsync(ClusterKeys.ClusterPrefix(cluster), CancellationToken.None);
        }
    }

    /// <summary>A drain timeout well above the requests' time, and a stop grace period well below it: only the drain can save them.</summary>
    private static string Spec(string service, int replicas) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: {replicas}
        health:
          interval: 500ms
        route:
          pathPrefix: /
        drainTimeout: 30s
        stopGracePeriod: 1s
        """;

    private static AgentFixture Agent(string service, string cluster, HostConfig host) =>
        new(service, "replicas: 2", TestEnvironment.ConsulAddress, [host], cluster, ControllerMode.Cluster)
        {
            Specs = SpecLoader.LoadTexts([($"{service}.yaml", Spec(service, 2))]),
            // Retries off, so that a request cut short fails instead of being sent again; both zones alike, so that
            // requests reach the replicas of both hosts.
            Overrides = services => services.Configure<BalancerOptions>(o =>
            {
                o.Retries.MaxRetries = 0;
                o.ZoneMode = Bollard.Balancer.LoadBalancing.ZoneMode.Spread;
            }),
        };

    /// <summary>The passing instances of the service in Consul, by id: address and port.</summary>
    private static async Task<Dictionary<string, (string Address, int Port)>> PassingAsync(string service)
    {
        using var http = new HttpClient();
        var entries = await http.GetFromJsonAsync<JsonElement>(new Uri(TestEnvironment.ConsulAddress, $"/v1/health/service/{service}?passing=true"));
        return entries.EnumerateArray().Select(e => e.GetProperty("Service")).ToDictionary(
            s => s.GetProperty("ID").GetString()!,
            s => (s.GetProperty("Address").GetString()!, s.GetProperty("Port").GetInt32()));
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Discovery;
using Bollard.Scaler.Cluster;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Two hosts as a team runs them: each its own Docker engine (the default one and h2), its own Consul agent (a server,
/// and a client joined to it) and its own `bollard agent` process with <c>controller: cluster</c>. What is applied or
/// commanded through either agent is the cluster's: routed by both balancers at once, rolled out by the controller,
/// and its decisions outlive the controller that took them.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class SharedStateClusterTests
{
    private static readonly TimeSpan RouteWithin = TimeSpan.FromSeconds(2);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task What_is_applied_or_commanded_through_any_agent_is_the_clusters_and_its_decisions_outlive_the_controller()
    {
        var engines = TestEnvironment.ZoneEngines();
        var cluster = TestEnvironment.UniqueName("shared");
        using var server = await ConsulTestAgent.StartAsync();
        using var client = await ConsulTestAgent.StartClientAsync(server);
        var specs = new Dictionary<string, string> { ["web.yaml"] = Web };

        await using var a = new AgentProcess(specs, server.Address, "controller: cluster", cluster, host: "a1", zone: "zone-a");
        await using var b = new AgentProcess(specs, client.Address, "controller: cluster", cluster, host: engines[0], zone: "zone-b", docker: TestEnvironment.EngineEndpoint(engines[0]));
        try
        {
            await Task.WhenAll(a.StartAsync(), b.StartAsync());
            var leaderKey = ClusterKeys.Leader(cluster);
            using var kv = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var consul = new ConsulKeyValueStore(kv, new ConsulOptions { Address = server.Address });
            string? leader = null;
            await Eventually.TrueAsync(async () => (leader = await LeaderAsync(consul, leaderKey)) is not null, "a controller is elected", TimeSpan.FromSeconds(60));
            var (controller, other) = leader!.StartsWith("a1/", StringComparison.Ordinal) ? (a, b) : (b, a);
            await Eventually.TrueAsync(
                async () => await AnswerAsync(a, "web.test") == HttpStatusCode.OK && await AnswerAsync(b, "web.test") == HttpStatusCode.OK,
                "web answers through both balancers",
                TimeSpan.FromSeconds(90));

            // A new service applied through the agent that is not the controller: the controller's balancer routes it
            // within 2 s (before, only the applying agent's did, and the others answered 404 for good).
            Assert.Equal(HttpStatusCode.NotFound, await AnswerAsync(controller, "api.test"));
            using (var apply = await PostJsonAsync(other, "v1/apply", Files(Web, Api("api.test"))))
            {
                Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
            }

            var routedAfter = await TimeUntilAsync(async () => await AnswerAsync(controller, "api.test") != HttpStatusCode.NotFound, RouteWithin);
            Assert.True(routedAfter is not null, $"the controller's balancer did not route a service applied through the other agent within {RouteWithin.TotalSeconds} s");
            await Eventually.TrueAsync(async () => await AnswerAsync(other, "api.test") == HttpStatusCode.OK, "api answers through the other balancer", TimeSpan.FromSeconds(90));

            // And the other way round: a route changed through the controller, followed by the other balancer.
            using (var apply = await PostJsonAsync(controller, "v1/apply", Files(Web, Api("api2.test"))))
            {
                Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
            }

            var movedAfter = await TimeUntilAsync(async () => await AnswerAsync(other, "api2.test") == HttpStatusCode.OK, RouteWithin);
            Assert.True(movedAfter is not null, $"the other agent's balancer did not follow a route changed through the controller within {RouteWithin.TotalSeconds} s");
            Assert.Equal(HttpStatusCode.NotFound, await AnswerAsync(other, "api.test"));

            // Status and plan through the other agent cover both hosts.
            await Eventually.TrueAsync(
                async () => await GetJsonAsync(other, "v1/services/web") is var web
                    && web.GetProperty("healthyReplicas").GetInt32() == 2
                    && web.GetProperty("replicaGroups").EnumerateArray().Select(g => g.GetProperty("zone").GetString()).Order().SequenceEqual(["zone-a", "zone-b"]),
                "status through the other agent counts both hosts' replicas",
                TimeSpan.FromSeconds(30));
            // (A plan without web would remove its containers on both hosts: as many as both engines run, not this one's.)
            await Eventually.TrueAsync(
                async () =>
                {
                    var running = (await WebContainersAsync(controller), await WebContainersAsync(other));
                    using var plan = await PostJsonAsync(other, "v1/plan", Files(Api("api2.test")));
                    var web = (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "web");
                    return web.GetProperty("change").GetString() == "Removed"
                        && running.Item1 > 0 && running.Item2 > 0
                        && web.GetProperty("containersToRemove").GetInt32() == running.Item1 + running.Item2
                        && (await WebContainersAsync(controller), await WebContainersAsync(other)) == running;
                },
                "plan through the other agent counts the containers of both hosts",
                TimeSpan.FromSeconds(30));

            // A canary rollout started and promoted through the agent that is not the controller.
            using (var start = await PostJsonAsync(other, "v1/services/web/rollout", new { image = $"{TestEnvironment.SampleImage}:v2" }))
            {
                Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            }

            await Eventually.TrueAsync(async () => await RolloutPhaseAsync(other) == "Paused", "the canary waits at its pause step (seen through the other agent)", TimeSpan.FromSeconds(90));
            using (var promote = await PostJsonAsync(other, "v1/services/web/rollout/promote", new { }))
            {
                Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
            }

            await Eventually.TrueAsync(async () => await RolloutPhaseAsync(other) == "Succeeded", "the rollout succeeds", TimeSpan.FromSeconds(90));
            await Eventually.TrueAsync(async () => (await Versions(controller, other)).SetEquals(["v2"]), "web answers from v2 alone through both balancers", TimeSpan.FromSeconds(60));

            // The controller's refusal reaches the caller of the other agent as its own.
            using (var undo = await PostJsonAsync(other, "v1/services/web/rollout/undo", new { }))
            {
                Assert.Equal(HttpStatusCode.Conflict, undo.StatusCode);
            }

            // The controller ran the command and audited it, naming the agent it came through.
            var otherHost = other == a ? "a1" : engines[0];
            var audit = await GetJsonAsync(other, "v1/audit?service=web");
            Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "rollout promote" && e.GetProperty("actor").GetString()!.Contains($"through {otherHost}/", StringComparison.Ordinal));
            var taken = await DecisionActionsAsync(other);
            Assert.Contains("rollout start", taken);
            Assert.Contains("rollout promote", taken);
            Assert.Contains("rollout step", taken);

            // The controller stops; the other agent takes over and still shows why the rollout steps happened.
            await controller.StopAsync();
            await Eventually.TrueAsync(async () => (await LeaderAsync(consul, leaderKey))?.StartsWith($"{otherHost}/", StringComparison.Ordinal) == true, "the other agent controls the cluster", TimeSpan.FromSeconds(60));
            var afterFailover = await DecisionActionsAsync(other);
            Assert.Contains("rollout promote", afterFailover);
            Assert.Contains("rollout start", afterFailover);

            // The stopped agent restarted, with nothing in memory, shows them too.
            await controller.StartAsync();
            var afterRestart = await DecisionActionsAsync(controller);
            Assert.Contains("rollout promote", afterRestart);
            Assert.Contains("rollout step", afterRestart);
        }
        finally
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await new ConsulKeyValueStore(http, new ConsulOptions { Address = server.Address }).DeleteTreeAsync(ClusterKeys.ClusterPrefix(cluster), CancellationToken.None);
        }
    }

    private static string Web => $$"""
        name: web
        image: {{TestEnvironment.SampleImage}}:v1
        port: 8080
        replicas: 2
        health: {interval: 500ms}
        route: {host: web.test}
        rollout:
          canary:
            steps:
              - setWeight: 50
              - pause: {}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static string Api(string host) => $$"""
        name: api
        image: {{TestEnvironment.SampleImage}}:v1
        port: 8080
        replicas: 1
        health: {interval: 500ms}
        route: {host: {{host}}}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static object Files(params string[] texts) =>
        new { files = texts.Select(t => new { name = $"{t.Split('\n')[0]["name: ".Length..].Trim()}.yaml", text = t }).ToArray() };

    /// <summary>How long until <paramref name="condition"/> held, polled every 20 ms; null when not within <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan?> TimeUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) <= limit)
        {
            if (await condition())
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return null;
    }

    private static async Task<HttpStatusCode?> AnswerAsync(AgentProcess agent, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, agent.Balancer);
        request.Headers.Host = host;
        try
        {
            using var response = await Http.SendAsync(request);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The versions of the replicas that answered 10 requests through each balancer.</summary>
    private static async Task<HashSet<string>> Versions(params AgentProcess[] agents)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            for (var i = 0; i < 10; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, agent.Balancer);
                request.Headers.Host = "web.test";
                using var response = await Http.SendAsync(request);
                versions.Add(response.IsSuccessStatusCode
                    ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString()!
                    : $"error {(int)response.StatusCode}");
            }
        }

        return versions;
    }

    private static async Task<int> WebContainersAsync(AgentProcess agent) =>
        (await agent.RunningContainersAsync()).Count(c => c.Labels[Bollard.Scaler.Runtime.ContainerLabels.Service] == "web");

    private static async Task<string?> LeaderAsync(ConsulKeyValueStore consul, string key) =>
        await consul.GetAsync(key, CancellationToken.None) is { Session: not null } entry ? Encoding.UTF8.GetString(entry.Value.Span) : null;

    private static async Task<string?> RolloutPhaseAsync(AgentProcess agent)
    {
        using var admin = agent.AdminClient();
        using var response = await admin.GetAsync(new Uri("v1/services/web/rollout", UriKind.Relative));
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("phase").GetString() : null;
    }

    private static async Task<List<string>> DecisionActionsAsync(AgentProcess agent) =>
        [.. (await GetJsonAsync(agent, "v1/services/web/decisions?limit=1000")).EnumerateArray().Select(d => d.GetProperty("action").GetString()!)];

    private static async Task<JsonElement> GetJsonAsync(AgentProcess agent, string path)
    {
        using var admin = agent.AdminClient();
        return await admin.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative));
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(AgentProcess agent, string path, object body)
    {
        using var admin = agent.AdminClient();
        return await admin.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Bollard.IntegrationTests.Discovery;
using Bollard.IntegrationTests.Load;
using Bollard.Scaler.Runtime;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// The real `bollard agent` process with a Consul agent of its own, frozen (SIGSTOP: connections stay open, nothing
/// answers, every call runs into its timeout) in the middle of a canary step, a scale-out and a blue/green switch,
/// under a steady load through the balancer. The agent must keep serving without a failed request, show the outage
/// in /healthz instead of stopping, and finish what it was doing once Consul answers again.
/// </summary>
public sealed class ConsulFreezeTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_frozen_consul_at_a_canary_step_costs_no_request_and_the_rollout_then_succeeds()
    {
        var run = await StartAsync("""
            replicas: 3
            rollout:
              canary:
                steps: [{setWeight: 20}, {pause: 3s}, {setWeight: 50}, {pause: 3s}]
              analysis: {interval: 2s, minRequests: 10, failureLimit: 2, maxP99: 2s, maxP99Ratio: 20}
            """);
        await using var _ = run;
        using var admin = run.Agent.AdminClient();
        (await admin.PostAsJsonAsync($"/v1/services/{run.Service}/rollout", new { image = $"{TestEnvironment.SampleImage}:v2" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await RolloutAsync(admin, run.Service)) is { } r && NewWeight(r) > 0, "the canary's first step taking traffic", Long);

        await run.FreezeUntilTheAgentFeelsItAsync();

        await Eventually.TrueAsync(async () => (await RolloutAsync(admin, run.Service))?.GetProperty("phase").GetString() == "Succeeded", "the rollout succeeding after Consul answers again", Long);
        await Eventually.TrueAsync(async () => (await run.Agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal)), "only v2 left", Long);
        await run.FinishAsync();
    }

    [Fact]
    public async Task A_frozen_consul_during_a_scale_out_costs_no_request_and_the_new_replicas_then_serve()
    {
        var run = await StartAsync("replicas: 2");
        await using var _ = run;
        using var admin = run.Agent.AdminClient();
        using var apply = new StringContent(Spec(run.Service, "replicas: 4"), System.Text.Encoding.UTF8, "text/yaml");
        (await admin.PostAsync("/v1/apply", apply)).EnsureSuccessStatusCode();

        await run.FreezeUntilTheAgentFeelsItAsync();

        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => run.Agent.AskAsync()))).Where(id => !id.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == 4,
            "4 replicas serving after Consul answers again",
            Long);
        await run.FinishAsync();
    }

    [Fact]
    public async Task A_frozen_consul_at_a_blue_green_switch_costs_no_request_and_the_switch_then_completes()
    {
        var run = await StartAsync("""
            replicas: 2
            rollout:
              blueGreen: {rollbackWindow: 3s}
            """);
        await using var _ = run;
        using var admin = run.Agent.AdminClient();
        (await admin.PostAsJsonAsync($"/v1/services/{run.Service}/rollout", new { image = $"{TestEnvironment.SampleImage}:v2" })).EnsureSuccessStatusCode();

        // The switch comes as soon as the green set is whole: freeze when it is.
        await Eventually.TrueAsync(async () => (await run.Agent.RunningContainersAsync()).Count(c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal)) == 2, "the green set running", Long);
        await run.FreezeUntilTheAgentFeelsItAsync();

        await Eventually.TrueAsync(async () => (await RolloutAsync(admin, run.Service))?.GetProperty("phase").GetString() == "Succeeded", "the switch done after Consul answers again", Long);
        await Eventually.TrueAsync(async () => (await run.Agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal)), "only v2 left", Long);
        await run.FinishAsync();
    }

    private static async Task<Run> StartAsync(string scaling)
    {
        var consul = await ConsulTestAgent.StartAsync();
        var service = TestEnvironment.UniqueName("freeze");
        var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(service, scaling) }, consul.Address);
        var run = new Run(consul, agent, service);
        try
        {
            await agent.StartAsync();
            var replicas = scaling.Contains("replicas: 3", StringComparison.Ordinal) ? 3 : 2;
            await Eventually.TrueAsync(
                async () => (await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => agent.AskAsync()))).Where(id => !id.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == replicas,
                $"{replicas} replicas serving",
                Long);
            run.Load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 100_000, maxDuration: TimeSpan.FromMinutes(5), pace: TimeSpan.FromMilliseconds(20));
            await Eventually.TrueAsync(() => run.Load.Succeeded >= 50, "the load running");
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private static async Task<JsonElement?> RolloutAsync(HttpClient admin, string service)
    {
        using var response = await admin.GetAsync($"/v1/services/{service}/rollout");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    private static double NewWeight(JsonElement rollout)
    {
        var to = rollout.GetProperty("toVersion").GetString();
        return rollout.GetProperty("weights").EnumerateArray().Where(w => w.GetProperty("version").GetString() == to).Sum(w => w.GetProperty("percent").GetDouble());
    }

    private static string Spec(string service, string scaling) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        {scaling.ReplaceLineEndings("\n").Trim()}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    /// <summary>One test's Consul agent, bollard agent and load.</summary>
    private sealed class Run(ConsulTestAgent consul, AgentProcess agent, string service) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

        public AgentProcess Agent => agent;

        public string Service => service;

        public BoundedLoad? Load { get; set; }

        /// <summary>
        /// Freezes Consul until the agent has failed a reconcile pass on it twice (so it went through a failure, a
        /// backoff and another try) and the balancer has served a good number of requests meanwhile; then resumes it.
        /// </summary>
        public async Task FreezeUntilTheAgentFeelsItAsync()
        {
            consul.Freeze();
            try
            {
                var servedBefore = Load!.Succeeded;
                await Eventually.TrueAsync(
                    async () => agent.HasExited || (await ReconcileFailuresAsync() >= 2 && Load.Succeeded >= servedBefore + 500),
                    "the agent's reconcile loop failing on the frozen Consul (seen in /healthz) while the balancer serves",
                    Long);
                Assert.False(agent.HasExited, $"the agent exited with {agent.ExitCode} while Consul was frozen:\n{Tail()}");
                var metrics = await _http.GetStringAsync(new Uri(agent.Admin, "/metrics"));
                Assert.Matches(@"bollard_loop_consecutive_failures\{loop=""reconcile""\} [1-9]", metrics);
            }
            finally
            {
                consul.Resume();
            }
        }

        /// <summary>After the scenario: the agent still running and healthy again, and not one request failed.</summary>
        public async Task FinishAsync()
        {
            await Eventually.TrueAsync(async () => await ReconcileFailuresAsync() == 0, "/healthz ok again", Long);
            await Load!.StopAsync();
            Assert.False(agent.HasExited, $"the agent exited with {agent.ExitCode}:\n{Tail()}");
            Assert.True(Load.Succeeded > 1000, $"the load ran ({Load.Succeeded} requests)");
            Assert.True(Load.Failed == 0, $"{Load.Failed} requests failed: {Load.FailureSummary}");
            Assert.Contains(agent.Output, line => line.Contains("this pass is skipped", StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            consul.Resume();
            if (Load is not null)
            {
                await Load.DisposeAsync();
            }

            await agent.DisposeAsync();
            consul.Dispose();
            _http.Dispose();
        }

        private async Task<int> ReconcileFailuresAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.Admin, "/healthz"));
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _http.SendAsync(request);
            var health = await response.Content.ReadFromJsonAsync<JsonElement>();
            return health.GetProperty("loops").EnumerateArray()
                .Where(l => l.GetProperty("name").GetString() == "reconcile")
                .Select(l => l.GetProperty("consecutiveFailures").GetInt32())
                .SingleOrDefault();
        }

        private string Tail() => string.Join('\n', agent.Output.TakeLast(40));
    }
}

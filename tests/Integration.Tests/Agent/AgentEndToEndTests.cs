using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// The first end-to-end path on one host, all real: a YAML spec becomes running containers, they become healthy
/// catalog entries, and the balancer spreads real requests over them; a killed replica leaves routing and is
/// replaced; a restarted daemon re-adopts its replicas.
/// </summary>
public sealed class AgentEndToEndTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Spec_to_serving_replicas_self_healing_and_re_adoption(bool useConsul)
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("web"), replicas: 3, useConsul ? TestEnvironment.ConsulAddress : null);
        await agent.StartAsync();

        // Three replicas come up and all three answer through the balancer.
        await Eventually.TrueAsync(async () => (await agent.AskAsync(30)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 3, "3 replicas answering through the balancer");
        var containers = await agent.RunningContainersAsync();
        Assert.Equal(3, containers.Count);
        Assert.All(containers, c => Assert.StartsWith("127.0.0.1", c.Ports.Single().IP, StringComparison.Ordinal));
        if (useConsul)
        {
            await Eventually.TrueAsync(async () => await PassingInConsulAsync(agent.Service) == 3, "3 passing instances in Consul");
        }

        // docker kill: out of routing at once, then replaced.
        var victim = containers[0].ID;
        await agent.Docker.Containers.KillContainerAsync(victim, new ContainerKillParameters());
        await Eventually.TrueAsync(async () => !(await agent.AskAsync(20)).Any(id => victim.StartsWith(id, StringComparison.Ordinal)), "the killed replica out of routing", TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(
            async () => (await agent.RunningContainersAsync()).Count == 3 && (await agent.AskAsync(30)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 3,
            "a replacement serving");
        Assert.DoesNotContain(await agent.RunningContainersAsync(), c => c.ID == victim);

        // Restart: the same containers keep serving, none added, no requests fail once it serves.
        var before = (await agent.RunningContainersAsync()).Select(c => c.ID).Order().ToList();
        await agent.StopAsync();
        Assert.Equal(before, (await agent.RunningContainersAsync()).Select(c => c.ID).Order().ToList());
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(30)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 3, "3 replicas serving after the restart");
        var reconciler = (Bollard.Scaler.Reconcile.Reconciler)agent.Services.GetService(typeof(Bollard.Scaler.Reconcile.Reconciler))!;
        var plan = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.True(plan.IsEmpty, $"a pass after re-adoption should find nothing to do, found: {string.Join("; ", plan.Actions)}");
        Assert.Equal(before, (await agent.RunningContainersAsync()).Select(c => c.ID).Order().ToList());
        Assert.DoesNotContain("error", await agent.AskAsync(30));
    }

    [Fact]
    public async Task Metrics_count_requests_per_service()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("metrics"), replicas: 1);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync(1)).Single().StartsWith("error", StringComparison.Ordinal), "the replica serving");
        await agent.AskAsync(5);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(agent.Admin, "/metrics"));

        Assert.Contains($"service=\"{agent.Service}\"", metrics, StringComparison.Ordinal);
        Assert.Contains("bollard_balancer_requests_total", metrics, StringComparison.Ordinal);
        Assert.Equal("ok\n", await http.GetStringAsync(new Uri(agent.Admin, "/healthz")));
    }

    private static async Task<int> PassingInConsulAsync(string service)
    {
        using var http = new HttpClient();
        var entries = await http.GetFromJsonAsync<JsonElement>(new Uri(TestEnvironment.ConsulAddress, $"/v1/health/service/{service}?passing=true"));
        return entries.GetArrayLength();
    }
}

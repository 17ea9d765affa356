using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Load;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using AdminCommand = Bollard.Scaler.Admin.RolloutCommand;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>
/// Blue/green through the real agent (real containers of bollard-sample:v1 and :v2, the real catalog and balancer)
/// under a bounded, continuous load: the whole new set comes up, takes 100% at once, and an undo within the rollback
/// window sends everything back to the old set, which was kept warm, without a failed request.
/// </summary>
public sealed class BlueGreenRolloutTests(ITestOutputHelper output)
{
    // Generous analysis limits: this test is about the switch and the undo, not about judging v2 on a busy machine.
    private const string BlueGreen = """
        replicas: 2
        rollout:
          blueGreen: {rollbackWindow: 10m}
          analysis: {interval: 2s, minRequests: 10, maxP99: 5s, maxP99Ratio: 100}
        """;

    /// <param name="consul">With Consul, weights reach the balancer through Consul KV and replicas through Consul's
    /// catalog: two watches that change at their own pace.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_switch_then_an_undo_within_the_window_fails_no_request(bool consul)
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("bluegreen"), BlueGreen, consul ? TestEnvironment.ConsulAddress : null);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await RunningIdsAsync(agent, "v1")).Count == 2 && (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v1"]), "2 replicas of v1 serving");
        var blue = await RunningIdsAsync(agent, "v1");
        var blueVersion = (await agent.RunningContainersAsync()).First().Labels[ContainerLabels.Version];

        using var routing = new RoutingTimeline(agent.Services, agent.Service);
        await using var load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 40_000, maxDuration: TimeSpan.FromSeconds(240), pace: TimeSpan.FromMilliseconds(20));
        var control = agent.Services.GetRequiredService<IControlPlane>();
        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await control.StartRolloutAsync(agent.Service, new RolloutRequest($"{TestEnvironment.SampleImage}:v2", null), "test", CancellationToken.None);

        await Explain(agent, routing, load, Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.Succeeded, "the switch to v2", TimeSpan.FromSeconds(90)));
        await Explain(agent, routing, load, Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v2"]), "all traffic on v2"));

        // Serve from v2 for about ten seconds, several analysis intervals (an undo right after the switch would not
        // show what an undo of a settled switch does), with the old set still running: warm for the undo.
        var served = load.Succeeded;
        await Explain(agent, routing, load, Eventually.TrueAsync(() => load.Succeeded > served + 1000, "v2 serving a while", TimeSpan.FromSeconds(90)));
        Assert.Equal(blue, await RunningIdsAsync(agent, "v1"));

        await control.CommandRolloutAsync(agent.Service, AdminCommand.Undo, "test", CancellationToken.None);
        await Explain(agent, routing, load, Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.RolledBack, "the undo finished", TimeSpan.FromSeconds(90)));
        await Explain(agent, routing, load, Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Version] == blueVersion), "only v1 containers left"));
        served = load.Succeeded;
        await Explain(agent, routing, load, Eventually.TrueAsync(() => load.Succeeded > served + 100, "v1 serving after the undo"));
        await load.StopAsync();
        output.WriteLine($"{load.Succeeded} requests served, {load.Failed} failed; routing: {routing}");

        // The very replicas that served before the rollout serve after the undo: none was re-created.
        Assert.Equal(blue, await RunningIdsAsync(agent, "v1"));
        Assert.True(load.Succeeded > 500, $"the load ran ({load.Succeeded} requests)");
        Assert.True(load.Failed == 0, $"{load.Failed} requests failed during the switch and undo: {load.FailureSummary}; routing: {routing}");
        Assert.False(routing.WasEverEmpty, $"the service was routed with no destination: {routing}");
    }

    [Fact]
    public async Task An_undo_while_the_old_set_fails_its_checks_keeps_the_new_set_serving_until_the_old_one_is_whole()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("bgfailing"), BlueGreen);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await RunningIdsAsync(agent, "v1")).Count == 2 && (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v1"]), "2 replicas of v1 serving");
        var blueVersion = (await agent.RunningContainersAsync()).First().Labels[ContainerLabels.Version];

        using var routing = new RoutingTimeline(agent.Services, agent.Service);
        await using var load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 40_000, maxDuration: TimeSpan.FromSeconds(240), pace: TimeSpan.FromMilliseconds(20));
        var control = agent.Services.GetRequiredService<IControlPlane>();
        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await control.StartRolloutAsync(agent.Service, new RolloutRequest($"{TestEnvironment.SampleImage}:v2", null), "test", CancellationToken.None);
        await Explain(agent, routing, load, Eventually.TrueAsync(async () => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.Succeeded && (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v2"]), "all traffic on v2", TimeSpan.FromSeconds(90)));

        // The warm old set starts failing its health checks and leaves routing; the undo comes just then.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            foreach (var container in (await agent.RunningContainersAsync()).Where(c => c.Labels[ContainerLabels.Version] == blueVersion))
            {
                var port = container.Ports.First(p => p.PublicPort != 0).PublicPort;
                (await http.PostAsync(new Uri($"http://127.0.0.1:{port}/admin/fail-health"), null)).EnsureSuccessStatusCode();
            }
        }

        await Explain(agent, routing, load, Eventually.TrueAsync(() => routing.Routed(blueVersion) == 0, "the failing old set out of routing"));
        await control.CommandRolloutAsync(agent.Service, AdminCommand.Undo, "test", CancellationToken.None);

        // The failing replicas are replaced; v2 keeps serving (without weight) until the new v1 replicas are ready.
        await Explain(agent, routing, load, Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.RolledBack, "the undo finished", TimeSpan.FromSeconds(120)));
        await Explain(agent, routing, load, Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v1"]), "v1 serving after the undo"));
        await load.StopAsync();
        output.WriteLine($"{load.Succeeded} requests served, {load.Failed} failed; routing: {routing}");

        Assert.True(load.Failed == 0, $"{load.Failed} requests failed during the undo: {load.FailureSummary}; routing: {routing}");
        Assert.False(routing.WasEverEmpty, $"the service was routed with no destination: {routing}");
    }

    /// <summary>The ids of the running containers made from the image tagged <paramref name="tag"/>, sorted.</summary>
    private static async Task<List<string>> RunningIdsAsync(AgentFixture agent, string tag)
    {
        var image = await agent.Docker.Images.InspectImageAsync($"{TestEnvironment.SampleImage}:{tag}");
        return [.. (await agent.RunningContainersAsync()).Where(c => c.ImageID == image.ID).Select(c => c.ID).Order(StringComparer.Ordinal)];
    }

    /// <summary>On a timeout, shows what the agent decided, how routing moved and what failed.</summary>
    private static async Task Explain(AgentFixture agent, RoutingTimeline routing, BoundedLoad load, Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            var decisions = agent.Services.GetRequiredService<Bollard.Scaler.Decisions.DecisionLog>().Read(agent.Service);
            throw new TimeoutException(
                $"{e.Message}; decisions: {string.Join(" | ", decisions.TakeLast(12).Select(d => $"{d.Action} {d.Reason} -> {d.Outcome}"))}; routing: {routing}; failed: {load.Failed} ({load.FailureSummary})",
                e);
        }
    }
}

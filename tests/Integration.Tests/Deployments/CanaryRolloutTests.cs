using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Cli;
using Bollard.IntegrationTests.Load;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>
/// Canary rollouts through the real agent (real containers of bollard-sample:v1 and :v2, the real balancer and its
/// per-version window) under a bounded, continuous load.
/// </summary>
public sealed class CanaryRolloutTests
{
    private const string Canary = """
        replicas: 2
        rollout:
          canary:
            steps: [{setWeight: 20}, {pause: 3s}, {setWeight: 50}, {pause: 3s}]
          analysis: {interval: 2s, minRequests: 10, failureLimit: 1, maxP99: 2s, maxP99Ratio: 20}
        """;

    [Fact]
    public async Task A_good_version_is_rolled_out_in_steps_with_no_failed_request()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("canary"), Canary);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(20)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 2, "2 replicas of v1 serving");

        await using var load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 50_000, maxDuration: TimeSpan.FromSeconds(120), pace: TimeSpan.FromMilliseconds(20));
        var control = agent.Services.GetRequiredService<IControlPlane>();
        await control.StartRolloutAsync(agent.Service, new RolloutRequest($"{TestEnvironment.SampleImage}:v2", null), "test", CancellationToken.None);

        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await WithDecisions(agent, Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.Succeeded, "the canary promoted", TimeSpan.FromSeconds(90)));
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal)), "only v2 containers left");
        await load.StopAsync();

        Assert.True(load.Succeeded > 100, $"the load ran ({load.Succeeded} requests)");
        Assert.True(load.Failed == 0, $"{load.Failed} requests failed during the rollout: {load.FailureSummary}");
        var decisions = agent.Services.GetRequiredService<Bollard.Scaler.Decisions.DecisionLog>().Read(agent.Service);
        Assert.Contains(decisions, d => d.Action == "rollout step");
    }

    [Fact]
    public async Task A_bad_version_is_rolled_back_by_itself()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("badcanary"), Canary);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(20)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 2, "2 replicas of v1 serving");

        // The same spec with the new image and half of its requests answered 500: a bad version.
        var control = agent.Services.GetRequiredService<IControlPlane>();
        var spec = new SpecFile("bad.yaml", $$"""
            name: {{agent.Service}}
            image: {{TestEnvironment.SampleImage}}:v2
            port: 8080
            env: {ERROR_RATE: "0.5"}
            {{Canary.ReplaceLineEndings("\n")}}
            health: {interval: 500ms}
            route: {pathPrefix: /}
            drainTimeout: 1s
            stopGracePeriod: 2s
            """);
        await using var load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 50_000, maxDuration: TimeSpan.FromSeconds(120), pace: TimeSpan.FromMilliseconds(20));
        await control.StartRolloutAsync(agent.Service, new RolloutRequest(null, spec), "test", CancellationToken.None);

        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await WithDecisions(agent, Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.RolledBack, "the bad version rolled back", TimeSpan.FromSeconds(90)));
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Image].EndsWith(":v1", StringComparison.Ordinal)), "only v1 containers left");
        await load.StopAsync();

        // Only the first step's 20% could reach the bad version, and it failed half of those: well under 20% overall.
        var failedShare = (double)load.Failed / (load.Failed + load.Succeeded);
        Assert.True(failedShare < 0.2, $"{failedShare:P1} of requests failed");
        Assert.DoesNotContain(await agent.AskAsync(20), id => id.StartsWith("error", StringComparison.Ordinal));

        // `bollard status` says that the desired version was rolled back and which one serves, not the bad image at 100%.
        var deployment = coordinator.Current(agent.Service)!;
        var status = (await BollardExecutable.RunAsync(["status", agent.Service, "--server", agent.Admin.ToString(), "--token-file", Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName)])).WithoutStackTrace();
        Assert.True(status.Code == 0, status.ToString());
        Assert.Contains($"serving:       {deployment.Stable.Version} (", status.Out, StringComparison.Ordinal);
        Assert.Contains($"rolled back:   version {deployment.Rollout!.NewVersion} was rolled back after 1 failed check (limit 1; the last one failed: ", status.Out, StringComparison.Ordinal);
        Assert.Contains($"desired:       {deployment.Rollout.NewVersion} (", status.Out, StringComparison.Ordinal);
        Assert.Contains("), not serving", status.Out, StringComparison.Ordinal);
        Assert.Contains($"weights:       {deployment.Stable.Version[..12]}=100%", status.Out, StringComparison.Ordinal);
        var table = (await BollardExecutable.RunAsync(["status", "--server", agent.Admin.ToString(), "--token-file", Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName)])).WithoutStackTrace();
        Assert.Contains($"{deployment.Stable.Version[..12]} ({deployment.Rollout.NewVersion[..12]} rolled back)", table.Out, StringComparison.Ordinal);
    }

    /// <summary>On a timeout, shows what the agent decided: the quickest way to see why a rollout did not finish.</summary>
    private static async Task WithDecisions(AgentFixture agent, Task wait)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException e)
        {
            var decisions = agent.Services.GetRequiredService<Bollard.Scaler.Decisions.DecisionLog>().Read(agent.Service);
            throw new TimeoutException($"{e.Message}; decisions: {string.Join(" | ", decisions.TakeLast(12).Select(d => $"{d.Action} {d.Reason} -> {d.Outcome}"))}", e);
        }
    }
}

using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using AdminCommand = Bollard.Scaler.Admin.RolloutCommand;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>Rollouts that outlive the daemon, through the real agent and containers.</summary>
public sealed class RolloutDurabilityTests
{
    [Fact]
    public async Task A_daemon_stopped_mid_rollout_resumes_at_the_same_step_without_duplicate_containers()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("resume"), """
            replicas: 2
            rollout:
              canary:
                steps: [{setWeight: 20}, {pause: {}}, {setWeight: 50}, {pause: 2s}]
            """);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count == 2, "2 replicas of v1");
        await Control(agent).StartRolloutAsync(agent.Service, new RolloutRequest($"{TestEnvironment.SampleImage}:v2", null), "test", CancellationToken.None);
        await Eventually.TrueAsync(() => Coordinator(agent).Current(agent.Service)?.Rollout?.Phase == EnginePhase.Paused, "the canary paused at 20% until promoted");
        var before = Coordinator(agent).Current(agent.Service)!.Rollout!;
        var containers = (await agent.RunningContainersAsync()).Select(c => c.ID).Order().ToList();

        await agent.StopAsync();
        await agent.StartAsync();

        // The restarted agent reads the rollout back: same step, same weight, the same containers and no new ones.
        await Eventually.TrueAsync(() => Coordinator(agent).Current(agent.Service)?.Rollout is not null, "the rollout reloaded");
        var after = Coordinator(agent).Current(agent.Service)!.Rollout!;
        Assert.Equal((EnginePhase.Paused, before.StepIndex, before.CanaryWeight), (after.Phase, after.StepIndex, after.CanaryWeight));
        Assert.Equal(containers, (await agent.RunningContainersAsync()).Select(c => c.ID).Order().ToList());

        await Control(agent).CommandRolloutAsync(agent.Service, AdminCommand.Promote, "test", CancellationToken.None);
        await Eventually.TrueAsync(() => Coordinator(agent).Current(agent.Service)?.Rollout?.Phase == EnginePhase.Succeeded, "promoted after the restart", TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()) is var running && running.Count == 2 && running.All(c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal)), "2 replicas of v2, none of v1");
    }

    private static IControlPlane Control(AgentFixture agent) => agent.Services.GetRequiredService<IControlPlane>();

    private static DeploymentCoordinator Coordinator(AgentFixture agent) => agent.Services.GetRequiredService<DeploymentCoordinator>();
}

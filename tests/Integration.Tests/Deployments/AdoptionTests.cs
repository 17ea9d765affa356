using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.DependencyInjection;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>A spec edited while the agent was down, and the agent's rollout record lost with its state.</summary>
public sealed class AdoptionTests
{
    [Fact]
    public async Task Without_a_rollout_record_a_changed_spec_is_rolled_out_with_its_strategy()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("adopt"), """
            replicas: 2
            rollout:
              canary:
                steps: [{setWeight: 50}, {pause: {}}]
            """);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count == 2, "2 replicas of v1");
        var blue = (await agent.RunningContainersAsync()).Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
        await agent.StopAsync();

        // While it is down: the record goes (state lost) and the spec file moves to v2.
        using (var state = new LocalStateStore(agent.Config.StateDirectory))
        {
            await state.DeleteAsync(StateKeys.Rollout(agent.Service), CancellationToken.None);
        }

        var file = agent.Specs.Single().Source;
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace(":v1", ":v2", StringComparison.Ordinal));
        agent.Specs = SpecLoader.LoadPath(Path.GetDirectoryName(file)!);
        await agent.StartAsync();

        // The running v1 is taken as the stable version: a canary, paused at 50%, not a replacement.
        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout is { Phase: EnginePhase.Paused, CanaryWeight: 500 }, "the canary paused at 50%", TimeSpan.FromSeconds(90));
        Assert.Contains(agent.Services.GetRequiredService<DecisionLog>().Read(agent.Service), d => d.Action == "adopt");
        var running = await agent.RunningContainersAsync();
        Assert.Contains(running, c => blue.Contains(c.ID));
        Assert.Contains(running, c => c.Labels[ContainerLabels.Image].EndsWith(":v2", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(agent, 40)).SetEquals(["v1", "v2"]), "both versions serve");
    }
}

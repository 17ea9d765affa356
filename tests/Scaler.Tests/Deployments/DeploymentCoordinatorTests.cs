using System.Collections.Immutable;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Health;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Deployments;

/// <summary>The coordinator over a real local state store, with replicas described as the engine would list them.</summary>
public sealed class DeploymentCoordinatorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SecretKey Key = SecretKey.Ephemeral();

    private static readonly ServiceSpec V1 = new()
    {
        Name = "web",
        Image = "app:v1",
        PinnedImage = "sha256:one",
        Port = 8080,
        Env = EnvDigests.Digest(ServiceEnvironment.Of([KeyValuePair.Create("MODE", "blue")]), Key),
        Rollout = new RolloutSpec { Strategy = new CanarySpec([new SetWeightStep(100), new PauseStep(null)]) },
    };

    private static readonly ServiceSpec V2 = V1 with { Image = "app:v2", PinnedImage = "sha256:two" };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"bollard-deployments-{Guid.NewGuid():N}");
    private readonly LocalStateStore _state;
    private readonly DecisionLog _decisions = new();
    private readonly DeploymentCoordinator _coordinator;

    public DeploymentCoordinatorTests()
    {
        _state = new LocalStateStore(_directory);
        _coordinator = new DeploymentCoordinator(new DeploymentStore(_state, Key), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), _decisions);
    }

    public void Dispose()
    {
        _coordinator.Dispose();
        _state.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_version_is_read_back_from_the_settings_on_its_containers()
    {
        var restored = VersionSettings.Restore(V2, Replica(V1, 0).Container);
        Assert.NotNull(restored);
        Assert.Equal((V1.Version, V1.Image, V1.PinnedImage), (restored.Version, restored.Image, restored.PinnedImage));
        Assert.Equal(V1.Env, restored.Env);
    }

    [Fact]
    public void A_container_without_settings_or_with_settings_of_another_version_tells_nothing()
    {
        var unlabelled = Replica(V1, 0).Container with { Labels = ImmutableDictionary<string, string>.Empty };
        var lying = Replica(V1, 0).Container with { Version = "0123456789ab" };
        Assert.Null(VersionSettings.Restore(V2, unlabelled));
        Assert.Null(VersionSettings.Restore(V2, lying));
    }

    [Fact]
    public async Task Without_a_record_a_changed_spec_is_rolled_out_from_the_running_version_with_its_strategy()
    {
        // The agent was down while the spec went from v1 to v2, and its record is gone: v1 runs, v2 is desired.
        var target = await _coordinator.PassAsync(V2, 3, [Replica(V1, 0), Replica(V1, 1), Replica(V1, 2)], T0);

        var deployment = _coordinator.Current("web")!;
        Assert.Equal(V1.Version, deployment.Stable.Version);
        Assert.Equal((V1.Version, V2.Version), (deployment.Rollout!.StableVersion, deployment.Rollout.NewVersion));
        Assert.IsType<CanarySpec>(deployment.Rollout.Spec.Strategy);

        // The canary's first step: v1 keeps its three replicas (its traffic share needs them), one v2 replica comes.
        Assert.Equal(new[] { (V1.Version, 3), (V2.Version, 1) }, target.Versions.Select(v => (v.Version, v.Replicas)));
        Assert.Contains(_decisions.Read("web"), d => d.Action == "adopt" && d.Subject == V1.Version);
    }

    [Fact]
    public async Task Without_a_record_or_other_running_versions_the_desired_spec_is_simply_the_stable_one()
    {
        var target = await _coordinator.PassAsync(V2, 2, [Replica(V2, 0)], T0);
        Assert.Null(_coordinator.Current("web")!.Rollout);
        Assert.Equal(new[] { (V2.Version, 2) }, target.Versions.Select(v => (v.Version, v.Replicas)));
    }

    [Fact]
    public async Task A_stored_record_wins_over_the_running_containers()
    {
        await _coordinator.PassAsync(V1, 2, [Replica(V1, 0), Replica(V1, 1)], T0);
        using var restarted = new DeploymentCoordinator(new DeploymentStore(_state, Key), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), _decisions);

        // The same spec, read from its file without a pin after a restart: it takes the recorded pin, so no rollout.
        var target = await restarted.PassAsync(V1 with { PinnedImage = null }, 2, [Replica(V1, 0), Replica(V1, 1)], T0.AddMinutes(1));
        Assert.Null(restarted.Current("web")!.Rollout);
        Assert.Equal(new[] { (V1.Version, 2) }, target.Versions.Select(v => (v.Version, v.Replicas)));
        Assert.Equal("sha256:one", target.Versions[0].Spec.PinnedImage);
    }

    [Fact]
    public async Task A_command_to_a_settled_rollout_is_refused()
    {
        var blueGreen = new RolloutSpec { Strategy = new BlueGreenSpec(TimeSpan.FromMinutes(1)) };
        var (v1, v2) = (V1 with { Rollout = blueGreen }, V2 with { Rollout = blueGreen });
        await _coordinator.PassAsync(v1, 1, [Replica(v1, 0)], T0);
        await _coordinator.PassAsync(v2, 1, [Replica(v1, 0), Replica(v2, 1)], T0.AddSeconds(1));
        Assert.Equal(RolloutPhase.Succeeded, _coordinator.Current("web")!.Rollout!.Phase);

        // The window ends and a pass settles the rollout; an undo stamped just before the end arrives after that pass.
        await _coordinator.PassAsync(v2, 1, [Replica(v1, 0), Replica(v2, 1)], T0.AddMinutes(2));
        Assert.True(_coordinator.Current("web")!.Settled);
        var undo = await _coordinator.CommandAsync("web", RolloutCommand.Undo, T0.AddSeconds(30), default);
        Assert.False(undo.Accepted, undo.Reason);
        Assert.Equal(v2.Version, _coordinator.Current("web")!.Stable.Version);
    }

    private static ReplicaView Replica(ServiceSpec spec, int index)
    {
        var labels = ImmutableDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ContainerLabels.Settings, VersionSettings.Label(spec))]);
        var container = new ObservedContainer($"{spec.Version}{index:D52}", $"web-{index}", spec.Name, spec.Version, "zone-a", ContainerRunState.Running, "127.0.0.1", 30000 + index, T0.AddMinutes(-10))
        {
            Labels = labels,
        };
        return new ReplicaView("local", container, new ReplicaHealth(true, 0), Registered: true);
    }
}

using System.Collections.Immutable;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Health;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Deployments;

/// <summary>
/// A rollout step whose record cannot be saved (the state store is unreachable, or the write landed but its answer
/// was lost) is neither published nor logged, and the rollout goes on from the saved record once the store answers:
/// no step is taken twice and no weight reaches the balancers that the saved record does not hold.
/// </summary>
public sealed class DeploymentCoordinatorOutageTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ServiceSpec V1 = new()
    {
        Name = "web",
        Image = "app:v1",
        PinnedImage = "sha256:one",
        Port = 8080,
        Rollout = new RolloutSpec { Strategy = new CanarySpec([new SetWeightStep(300), new PauseStep(null)]) },
    };

    private static readonly ServiceSpec V2 = V1 with { Image = "app:v2", PinnedImage = "sha256:two" };

    private readonly FlakyStateStore _store = new();
    private readonly RecordingTraffic _traffic = new();
    private readonly DecisionLog _decisions = new();
    private readonly DeploymentCoordinator _coordinator;
    private readonly DeploymentStore _deploymentStore;

    public DeploymentCoordinatorOutageTests()
    {
        _deploymentStore = new DeploymentStore(_store, Scaler.Secrets.SecretKey.Ephemeral());
        _coordinator = new DeploymentCoordinator(_deploymentStore, _traffic, new ImagePinner(new NoImageResolver()), _decisions);
    }

    public void Dispose() => _coordinator.Dispose();

    [Fact]
    public async Task A_step_whose_save_fails_is_not_published_nor_logged_and_is_taken_once_the_store_answers()
    {
        await StartRolloutAsync();

        _store.Mode = StoreMode.Down;
        await Assert.ThrowsAsync<StateStoreUnavailableException>(() => StepAsync(T0.AddSeconds(2)));
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);
        Assert.DoesNotContain(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));

        _store.Mode = StoreMode.Up;
        await StepAsync(T0.AddSeconds(3));
        await StepAsync(T0.AddSeconds(4));

        Assert.Single(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));
        Assert.Equal(300, _traffic.Published[^1][V2.Version]);
        Assert.Equal(300, StoredRollout().CanaryWeight);
    }

    [Fact]
    public async Task A_save_that_landed_but_whose_answer_was_lost_is_read_back_and_not_taken_again()
    {
        await StartRolloutAsync();

        _store.Mode = StoreMode.WritesLandAnswersLost;
        await Assert.ThrowsAsync<StateStoreUnavailableException>(() => StepAsync(T0.AddSeconds(2)));
        Assert.Equal(300, StoredRollout().CanaryWeight); // it landed
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);

        _store.Mode = StoreMode.Up;
        await StepAsync(T0.AddSeconds(3));

        // The next pass starts from the stored record: the step is already there, so it is published, not taken again.
        Assert.Equal(300, _traffic.Published[^1][V2.Version]);
        Assert.DoesNotContain(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));
        Assert.Equal(300, StoredRollout().CanaryWeight);
    }

    [Fact]
    public async Task A_record_changed_by_another_writer_is_a_conflict_and_the_next_pass_reads_it()
    {
        await StartRolloutAsync();
        var stored = StoredRollout();

        _store.Mode = StoreMode.OtherWriter;
        await Assert.ThrowsAsync<StateConflictException>(() => StepAsync(T0.AddSeconds(2)));
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);

        _store.Mode = StoreMode.Up;
        await StepAsync(T0.AddSeconds(3));
        Assert.Equal(stored.NewVersion, StoredRollout().NewVersion);
        Assert.Equal(300, StoredRollout().CanaryWeight);
    }

    [Fact]
    public async Task Deciding_a_step_saves_logs_and_publishes_nothing_until_it_is_applied()
    {
        await StartRolloutAsync();

        var step = await _coordinator.DecideAsync(V2, 3, [Replica(V1, 0), Replica(V1, 1), Replica(V1, 2), Replica(V2, 3)], T0.AddSeconds(2), default);

        Assert.Equal(300, step.Next.Rollout!.CanaryWeight);
        Assert.Equal(300, step.Weights!.PerMille![V2.Version]);
        Assert.Contains(step.Decisions, d => d.Action == "rollout step");
        Assert.Equal(0, StoredRollout().CanaryWeight);
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);
        Assert.DoesNotContain(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));

        await _coordinator.ApplyAsync(step, default);

        Assert.Equal(300, StoredRollout().CanaryWeight);
        Assert.Equal(300, _traffic.Published[^1][V2.Version]);
        Assert.Single(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_lands_between_deciding_and_applying_a_step_wins()
    {
        await StartRolloutAsync();
        var step = await _coordinator.DecideAsync(V2, 3, [Replica(V1, 0), Replica(V1, 1), Replica(V1, 2), Replica(V2, 3)], T0.AddSeconds(2), default);

        Assert.True((await _coordinator.CommandAsync("web", RolloutCommand.Abort, T0.AddSeconds(2), default)).Accepted);
        await Assert.ThrowsAsync<StateConflictException>(() => _coordinator.ApplyAsync(step, default));

        Assert.Equal(RolloutPhase.Aborted, StoredRollout().Phase);
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);
        Assert.DoesNotContain(_decisions.Read("web"), d => d.Action == "rollout step" && d.Outcome.Contains("30% new", StringComparison.Ordinal));

        // The next pass decides from the aborted record.
        await StepAsync(T0.AddSeconds(3));
        Assert.Equal(RolloutPhase.Aborted, StoredRollout().Phase);
        Assert.DoesNotContain(_traffic.Published, w => w.GetValueOrDefault(V2.Version) > 0);
    }

    /// <summary>v1 runs, v2 is desired: the first pass starts the canary (no weight yet: v2 has no ready replica).</summary>
    private async Task StartRolloutAsync()
    {
        await _coordinator.PassAsync(V2, 3, [Replica(V1, 0), Replica(V1, 1), Replica(V1, 2)], T0);
        Assert.Equal(RolloutPhase.Progressing, StoredRollout().Phase);
        Assert.Equal(0, StoredRollout().CanaryWeight);
    }

    /// <summary>A pass with a ready v2 replica: the canary's first weight step is due.</summary>
    private Task<ServiceTarget> StepAsync(DateTimeOffset now) =>
        _coordinator.PassAsync(V2, 3, [Replica(V1, 0), Replica(V1, 1), Replica(V1, 2), Replica(V2, 3)], now);

    private RolloutState StoredRollout() => _deploymentStore.Deserialize(_store.Read(StateKeys.Rollout("web"))!)!.Rollout!;

    private static ReplicaView Replica(ServiceSpec spec, int index)
    {
        var labels = ImmutableDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ContainerLabels.Settings, VersionSettings.Label(spec))]);
        var container = new ObservedContainer($"{spec.Version}{index:D52}", $"web-{index}", spec.Name, spec.Version, "zone-a", ContainerRunState.Running, "127.0.0.1", 30000 + index, T0.AddMinutes(-10))
        {
            Labels = labels,
        };
        return new ReplicaView("local", container, new ReplicaHealth(true, 0), Registered: true);
    }

    private enum StoreMode
    {
        Up,
        Down,
        WritesLandAnswersLost,
        OtherWriter,
    }

    /// <summary>The in-memory store with the failures a frozen or shared Consul shows.</summary>
    private sealed class FlakyStateStore : IStateStore
    {
        private readonly InMemoryStateStore _inner = new();

        public volatile StoreMode Mode;

        public string? Read(string key) => _inner.GetAsync(key, default).Result is { } e ? System.Text.Encoding.UTF8.GetString(e.Value.Span) : null;

        public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) =>
            Mode == StoreMode.Down ? throw Unavailable() : _inner.GetAsync(key, cancellationToken);

        public async Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken)
        {
            switch (Mode)
            {
                case StoreMode.Down:
                    throw Unavailable();
                case StoreMode.WritesLandAnswersLost:
                    await _inner.TryPutAsync(key, value, expectedVersion, cancellationToken);
                    throw Unavailable();
                case StoreMode.OtherWriter:
                    var current = await _inner.GetAsync(key, cancellationToken);
                    await _inner.TryPutAsync(key, current!.Value, current.Version, cancellationToken);
                    return await _inner.TryPutAsync(key, value, expectedVersion, cancellationToken);
                default:
                    return await _inner.TryPutAsync(key, value, expectedVersion, cancellationToken);
            }
        }

        public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
            Mode == StoreMode.Down ? throw Unavailable() : _inner.DeleteAsync(key, cancellationToken);

        public Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken) =>
            Mode == StoreMode.Down ? throw Unavailable() : _inner.ListAsync(prefix, cancellationToken);

        public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken) => _inner.WatchAsync(key, cancellationToken);

        private static StateStoreUnavailableException Unavailable() => new("Consul at http://127.0.0.1:8500 did not answer within 10 s");
    }

    /// <summary>Every set of weights the coordinator published, in order.</summary>
    private sealed class RecordingTraffic : IVersionTraffic
    {
        public List<IReadOnlyDictionary<string, int>> Published { get; } = [];

        public TrafficStats? Read(string service, string version, TimeSpan window) => null;

        public Task SetWeightsAsync(string service, IReadOnlyDictionary<string, int> perMille, CancellationToken cancellationToken)
        {
            Published.Add(perMille);
            return Task.CompletedTask;
        }

        public Task ClearWeightsAsync(string service, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

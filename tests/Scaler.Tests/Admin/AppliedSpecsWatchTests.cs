using System.Text;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Admin;

/// <summary>Every agent follows the applied specs in the state store: what it publishes (routes) and its desired state.</summary>
public sealed class AppliedSpecsWatchTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStateStore _state = new();
    private readonly SecretKey _key = SecretKey.Ephemeral();
    private readonly InMemoryServiceSpecSource _specs = new(SpecLoader.LoadTexts([("web.yaml", Spec("web", "/web"))]));

    [Fact]
    public async Task Nothing_applied_publishes_the_spec_files_then_every_apply_through_any_agent_is_followed()
    {
        using var restorer = Restorer();
        using var watch = Watch(restorer);
        Assert.Null(watch.Current);

        await watch.StartingAsync(default);
        Assert.Equal(["web"], watch.Current!.Select(s => s.Name));

        await watch.StartAsync(default);
        var changed = watch.GetChangeToken();

        // Another agent applies (the store is shared): this one publishes it and its desired state follows.
        await Desired().SaveAsync([new SpecFile("api.yaml", Spec("api", "/api")), new SpecFile("web.yaml", Spec("web", "/w2"))], new Dictionary<string, ImagePin>(), default);
        await Eventually.TrueAsync(() => changed.HasChanged && watch.Current!.Count == 2, "the applied specs are published");
        Assert.Equal("/w2", watch.Current!.Single(s => s.Name == "web").Route!.PathPrefix);
        await Eventually.TrueAsync(() => _specs.Current.Count == 2, "the desired state follows them");
        await watch.StopAsync(default);
    }

    [Fact]
    public async Task The_desired_state_follows_only_applies_it_does_not_hold_already()
    {
        using var restorer = Restorer();
        await restorer.RestoreAsync(default);

        // Applied through this agent: its desired state was replaced by the apply itself.
        var own = await restorer.ApplyAsync(
            async () =>
            {
                var saved = await Desired().SaveAsync([new SpecFile("api.yaml", Spec("api", "/api"))], new Dictionary<string, ImagePin>(), default);
                _specs.Replace(SpecLoader.LoadTexts([("api.yaml", Spec("api", "/api"))]));
                return (saved, saved);
            },
            default);
        Assert.False(await restorer.FollowAsync(own, default));

        // Applied through another agent (the same store): news, restored.
        var other = await Desired().SaveAsync([new SpecFile("db.yaml", Spec("db", "/db"))], new Dictionary<string, ImagePin>(), default);
        Assert.True(other > own);
        Assert.True(await restorer.FollowAsync(other, default));
        Assert.Equal(["db"], _specs.Current.Select(s => s.Name));
        Assert.False(await restorer.FollowAsync(other, default));
    }

    [Fact]
    public async Task Applied_specs_that_cannot_be_read_keep_the_last_good_ones_and_show_in_the_loop_health()
    {
        var health = LoopHealth.Detached(_time);
        using var restorer = Restorer();
        using var watch = Watch(restorer, health);
        await Desired().SaveAsync([new SpecFile("api.yaml", Spec("api", "/api"))], new Dictionary<string, ImagePin>(), default);
        await watch.StartingAsync(default);
        Assert.Equal(["api"], watch.Current!.Select(s => s.Name));

        var entry = await _state.GetAsync(StateKeys.DesiredSpecs, default);
        await _state.TryPutAsync(StateKeys.DesiredSpecs, Encoding.UTF8.GetBytes("""{"files":[{"name":"x.yaml","text":"name: [oops"}]}"""), entry!.Version, default);
        watch.Publish(await _state.GetAsync(StateKeys.DesiredSpecs, default), follow: false);

        Assert.Equal(["api"], watch.Current!.Select(s => s.Name));
        Assert.Equal(1, health.Report().Single(l => l.Name == "applied-specs").ConsecutiveFailures);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_at_start_leaves_nothing_published()
    {
        using var restorer = Restorer(new DownStore());
        using var watch = Watch(restorer, store: new DownStore());

        await watch.StartingAsync(default);

        Assert.Null(watch.Current);
    }

    private DesiredSpecsStore Desired(IStateStore? store = null) => new(store ?? _state, _key);

    private DesiredSpecsRestorer Restorer(IStateStore? store = null) =>
        new(Desired(store), new DeploymentStore(store ?? _state, _key), new ImagePinner(new NoImageResolver()), _specs, _key, NullLogger<DesiredSpecsRestorer>.Instance);

    private AppliedSpecsWatch Watch(DesiredSpecsRestorer restorer, LoopHealth? health = null, IStateStore? store = null) =>
        new(store ?? _state, Desired(store), _key, _specs, restorer, null, _time, health ?? LoopHealth.Detached(_time), NullLogger<AppliedSpecsWatch>.Instance);

    private static string Spec(string name, string prefix) => $"""
        name: {name}
        image: bollard-sample:v1
        port: 8080
        route:
          pathPrefix: {prefix}
        """;

    private sealed class DownStore : IStateStore
    {
        public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => throw Down();

        public Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken) => throw Down();

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => throw Down();

        public Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken) => throw Down();

        public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken) => throw Down();

        private static StateStoreUnavailableException Down() => new("Consul at http://127.0.0.1:8500 did not answer within 10 s");
    }
}

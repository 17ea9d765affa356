using System.Diagnostics;
using Bollard.Discovery;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>
/// Whatever a pass fails with (an outage of Docker, the catalog or the state store, a check-and-set conflict, a bug),
/// the reconcile loop skips the pass, backs off, shows the failure in <see cref="LoopHealth"/> and carries on: nothing
/// reaching the loop may end it (and with it the agent). On virtual time.
/// </summary>
public sealed class ReconcileLoopFailureTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRuntime _runtime;
    private readonly HostSet _hosts;
    private readonly DeploymentCoordinator _deployments;
    private readonly FaultySpecSource _specs;
    private readonly LoopHealth _health;

    public ReconcileLoopFailureTests()
    {
        _runtime = new InMemoryRuntime(_time);
        _hosts = new HostSet([new ManagedHost("h1", "zone-a", "127.0.0.1", null, _runtime)]);
        _deployments = new DeploymentCoordinator(new DeploymentStore(new InMemoryStateStore(), Bollard.Scaler.Secrets.SecretKey.Ephemeral()), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), new DecisionLog());
        _specs = new FaultySpecSource(SpecLoader.LoadTexts([("web.yaml", "name: web\nimage: app:1\nport: 8080\nreplicas: 1\n")]));
        _health = new LoopHealth(_time, () => 0.5);
    }

    public static TheoryData<Exception> Failures => new()
    {
        new RuntimeUnavailableException("Docker at unix:///var/run/docker.sock did not answer"),
        new CatalogUnavailableException("Consul at http://127.0.0.1:8500 did not answer within 10 s"),
        new StateStoreUnavailableException("PUT /v1/kv/bollard/c/state/rollouts/web timed out"),
        new StateConflictException("the deployment record of 'web' changed in the state store during this pass"),
        new InvalidOperationException("something the pass did not expect"),
        new HttpRequestException("connection reset"),
        new TimeoutException("an operation timed out"),
        new KeyNotFoundException("a bug: a key that should be there"),
    };

    public void Dispose()
    {
        _deployments.Dispose();
        _hosts.Dispose();
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_pass_that_fails_is_skipped_and_the_loop_carries_on_once_it_works_again(Exception failure)
    {
        using var reconciler = NewReconciler();
        using var loop = NewLoop(reconciler, []);
        _specs.Failure = failure;
        await loop.StartAsync(CancellationToken.None);
        var status = _health.Track("reconcile");

        await AdvanceUntilAsync(() => status.ConsecutiveFailures >= 4, "four failed passes in a row");
        Assert.False(loop.ExecuteTask!.IsCompleted, "the loop ended");
        Assert.Empty(_runtime.Containers);
        Assert.Equal(failure.Message, status.Report().LastError);

        _specs.Failure = null;
        await AdvanceUntilAsync(() => status.ConsecutiveFailures == 0 && _runtime.Containers.Count == 1, "a pass that works again");
        Assert.True(status.Report().TotalFailures >= 4);

        await loop.StopAsync(CancellationToken.None);
        Assert.True(loop.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Failed_passes_back_off_up_to_the_cap()
    {
        using var reconciler = NewReconciler();
        using var loop = NewLoop(reconciler, []);
        _specs.Failure = new StateStoreUnavailableException("down");
        await loop.StartAsync(CancellationToken.None);
        var status = _health.Track("reconcile");
        await AdvanceUntilAsync(() => status.ConsecutiveFailures == 1, "the first failed pass");

        // With jitter 0.5, the waits are 0.75, 1.5, 3, 6, 12, 22.5 (the cap, 30 s), 22.5 ... seconds.
        var started = _time.GetUtcNow();
        await AdvanceUntilAsync(() => status.ConsecutiveFailures == 8, "seven more");
        var waited = (_time.GetUtcNow() - started).TotalSeconds;
        Assert.InRange(waited, 0.75 + 1.5 + 3 + 6 + 12 + 22.5 + 22.5, 0.75 + 1.5 + 3 + 6 + 12 + 22.5 + 22.5 + 0.5);
        await loop.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task No_pass_runs_while_a_precondition_fails_and_passes_start_when_it_holds()
    {
        using var reconciler = NewReconciler();
        var restored = new SwitchedPrecondition();
        using var loop = NewLoop(reconciler, [restored]);
        await loop.StartAsync(CancellationToken.None);
        var status = _health.Track("reconcile");

        await AdvanceUntilAsync(() => status.ConsecutiveFailures >= 3, "passes held back");
        Assert.Empty(_runtime.Containers);

        restored.Holds = true;
        await AdvanceUntilAsync(() => _runtime.Containers.Count == 1, "the first pass once it holds");
        Assert.Equal(0, status.ConsecutiveFailures);
        await loop.StopAsync(CancellationToken.None);
    }

    private Reconciler NewReconciler() => new(
        _specs, _hosts, new InMemoryCatalog(), new SwitchedProber { Up = true }, new TimedDrain(_time), new NoLoadSource(), _deployments, new DecisionLog(), new OpenReconcileGate(),
        Options.Create(Scaler()), _time, NullLogger<Reconciler>.Instance);

    private ReconcileLoop NewLoop(Reconciler reconciler, IReconcilePrecondition[] preconditions) => new(
        reconciler, _hosts, new OpenReconcileGate(), preconditions, Options.Create(Scaler()), _health, _time, NullLogger<ReconcileLoop>.Instance);

    private static ScalerOptions Scaler() => new() { Cluster = "test", HostName = "h1", Zone = "zone-a", LoadCheckInterval = TimeSpan.Zero };

    /// <summary>Moves virtual time in 50 ms steps, giving the loop real time to react, until the condition holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"timed out: {what}");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System);
        }
    }

    /// <summary>The specs, or the failure a test sets: the first thing every pass reads.</summary>
    private sealed class FaultySpecSource(IReadOnlyList<ServiceSpec> specs) : IServiceSpecSource
    {
        public volatile Exception? Failure;

        public IReadOnlyList<ServiceSpec> Current => Failure is { } failure ? throw failure : specs;
    }

    private sealed class SwitchedPrecondition : IReconcilePrecondition
    {
        public volatile bool Holds;

        public Task EnsureAsync(CancellationToken cancellationToken) =>
            Holds ? Task.CompletedTask : throw new StateStoreUnavailableException("the applied specs cannot be read yet");
    }
}

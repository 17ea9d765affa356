using System.Diagnostics;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>
/// What brings the next pass forward, on virtual time: a new replica answering its first health check, and a load
/// rising above what the last decision saw. Both would otherwise wait for the loop's resync.
/// </summary>
public sealed class ReconcilerWakeTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StartupProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryCatalog _catalog = new();
    private readonly SwitchedProber _prober = new();
    private readonly SettableLoad _load;
    private readonly HostSet _hosts;
    private readonly DeploymentCoordinator _deployments;
    private readonly DecisionLog _decisions = new();

    public ReconcilerWakeTests()
    {
        _load = new SettableLoad(_time);
        _hosts = new HostSet([new ManagedHost("h1", "zone-a", "127.0.0.1", null, new InMemoryRuntime(_time))]);
        _deployments = new DeploymentCoordinator(new DeploymentStore(new InMemoryStateStore(), Scaler.Secrets.SecretKey.Ephemeral()), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), _decisions);
    }

    public void Dispose()
    {
        _deployments.Dispose();
        _hosts.Dispose();
    }

    [Fact]
    public async Task A_new_replica_is_registered_and_wakes_the_loop_within_a_startup_probe_interval_of_answering()
    {
        using var reconciler = NewReconciler("replicas: 1");
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reconciler.Changed += () => woken.TrySetResult();

        var first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Single(first.Actions.OfType<CreateReplica>());
        await AdvanceUntilAsync(() => _prober.Probes >= 3, "the new replica is probed every interval while it starts");
        Assert.False(woken.Task.IsCompleted);

        _prober.Up = true;
        var probesBefore = _prober.Probes;
        await AdvanceUntilAsync(() => woken.Task.IsCompleted, "the first passing probe wakes the loop");

        // At most the probe in flight when the app came up (it may have failed), then the next one passes.
        Assert.InRange(_prober.Probes - probesBefore, 0, 2);

        // Registered at once, not by the next pass (which may wait behind a pass still creating other replicas).
        Assert.Single(_catalog.Ids);
        var second = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Empty(second.Actions.OfType<RegisterReplica>());
        Assert.Single(_catalog.Ids);
    }

    [Fact]
    public async Task A_load_step_right_after_start_is_seen_between_passes_and_decided_with_a_whole_step()
    {
        using var reconciler = NewReconciler("replicas: {min: 1, max: 10}\nautoscaling: {metrics: [{type: rps, target: 10}]}");
        _prober.Up = true;
        await reconciler.ReconcileOnceAsync(CancellationToken.None); // 0 -> 1 (the range), creates it
        _time.Advance(TimeSpan.FromSeconds(1));
        await reconciler.ReconcileOnceAsync(CancellationToken.None); // registers it; no load: holds 1
        Assert.Null(await reconciler.CheckLoadAsync(CancellationToken.None));

        _load.RequestsPerSecond = 100;
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var rise = await reconciler.CheckLoadAsync(CancellationToken.None);

        Assert.Equal(new LoadRise("web", 1, 10), rise);
        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        var decision = reconciler.LastScaleDecision("web")!;
        Assert.Equal(5, decision.Desired); // +4 per 15 s from 1: the 0 -> 1 at start was the range, not a step
        Assert.Null(await reconciler.CheckLoadAsync(CancellationToken.None)); // held back by the step limit: no wake per check
    }

    private Reconciler NewReconciler(string replicasYaml)
    {
        var specs = SpecLoader.LoadTexts([("web.yaml", $"name: web\nimage: app:1\nport: 8080\n{replicasYaml}\nhealth: {{path: /health}}\n")]);
        return new Reconciler(
            new InMemoryServiceSpecSource(specs), _hosts, _catalog, _prober, new TimedDrain(_time), _load, _deployments, _decisions, new OpenReconcileGate(),
            Options.Create(new ScalerOptions { Cluster = "test", HostName = "h1", Zone = "zone-a", StartupProbeInterval = StartupProbeInterval }),
            _time, NullLogger<Reconciler>.Instance);
    }

    /// <summary>
    /// Moves virtual time in small steps until the condition holds; the startup probe runs on the thread pool, so
    /// each step also gives it real time to react (bounded: fails after 10 s of real time).
    /// </summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"timed out: {what}");
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System);
        }
    }
}

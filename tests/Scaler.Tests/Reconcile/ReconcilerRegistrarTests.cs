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
/// A host that names its own registrar (in cluster mode: another host, whose agent registers in its own Consul agent)
/// gets its replicas registered and deregistered there, never in the catalog of the agent that decides.
/// </summary>
public sealed class ReconcilerRegistrarTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCatalog _own = new();
    private readonly InMemoryCatalog _remote = new();
    private readonly HostSet _hosts;
    private readonly DecisionLog _decisions = new();
    private readonly DeploymentCoordinator _deployments;

    public ReconcilerRegistrarTests()
    {
        _hosts = new HostSet(
        [
            new ManagedHost("h1", "zone-a", "127.0.0.1", null, new InMemoryRuntime(_time)),
            new ManagedHost("h2", "zone-b", "127.0.0.1", null, new InMemoryRuntime(_time, firstId: 1000)) { Registrar = new CatalogRegistrar(_remote) },
        ]);
        _deployments = new DeploymentCoordinator(new DeploymentStore(new InMemoryStateStore(), Scaler.Secrets.SecretKey.Ephemeral()), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), _decisions);
    }

    public void Dispose()
    {
        _deployments.Dispose();
        _hosts.Dispose();
    }

    [Fact]
    public async Task Each_hosts_replicas_are_registered_and_deregistered_through_its_own_registrar()
    {
        var specs = new InMemoryServiceSpecSource(Spec(replicas: 2));
        using var reconciler = new Reconciler(
            specs, _hosts, _own, new SwitchedProber { Up = true }, new TimedDrain(_time), new SettableLoad(_time), _deployments, _decisions, new OpenReconcileGate(),
            Options.Create(new ScalerOptions { Cluster = "test", HostName = "h1", Zone = "zone-a" }), _time, NullLogger<Reconciler>.Instance);

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => _own.Ids.Count == 1 && _remote.Ids.Count == 1, "one replica registered in each host's catalog");

        specs.Replace(Spec(replicas: 0));
        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        var removed = reconciler.WhenRemovalsDoneAsync();
        await AdvanceUntilAsync(() => removed.IsCompleted, "both removals (deregister, drain on the fake clock, stop, remove) done");
        Assert.Empty(_own.Ids);
        Assert.Empty(_remote.Ids);
    }

    private static IReadOnlyList<ServiceSpec> Spec(int replicas) =>
        SpecLoader.LoadTexts([("web.yaml", $"name: web\nimage: app:1\nport: 8080\nreplicas: {replicas}\nhealth: {{path: /health}}\ndrainTimeout: 1s\n")]);

    /// <summary>Moves virtual time in small steps until the condition holds (bounded by 10 s of real time).</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"timed out: {what}");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System);
        }
    }
}

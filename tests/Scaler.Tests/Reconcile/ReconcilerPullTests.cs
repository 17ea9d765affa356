using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>
/// The reconciler with a host lacking a version's image (in-memory engines that list their images): a registry image is
/// pulled there in the background and its replicas follow; a failed pull leaves the host out for a while; an image
/// that cannot be pulled leaves it out and says so once. Never a create of an image the host does not hold.
/// </summary>
public sealed class ReconcilerPullTests : IDisposable
{
    private const string Digest = "127.0.0.1:5055/app@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string LocalId = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRuntime _a;
    private readonly InMemoryRuntime _b;
    private readonly HostSet _hosts;
    private readonly DecisionLog _decisions = new();
    private readonly DeploymentCoordinator _deployments;

    public ReconcilerPullTests()
    {
        _a = new InMemoryRuntime(_time) { Images = new ImageInventory([Digest, LocalId]) };
        _b = new InMemoryRuntime(_time, firstId: 1000) { Images = ImageInventory.Empty };
        _hosts = new HostSet([new ManagedHost("a1", "zone-a", "127.0.0.1", null, _a), new ManagedHost("b1", "zone-b", "127.0.0.1", null, _b)]);
        _deployments = new DeploymentCoordinator(new DeploymentStore(new InMemoryStateStore(), Bollard.Scaler.Secrets.SecretKey.Ephemeral()), new NoVersionTraffic(), new ImagePinner(new NoImageResolver()), _decisions);
    }

    public void Dispose()
    {
        _deployments.Dispose();
        _hosts.Dispose();
    }

    [Fact]
    public async Task A_host_lacking_a_registry_image_pulls_it_and_then_runs_its_replicas()
    {
        var pullMayEnd = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _b.OnPull = _ => pullMayEnd.Task;
        using var reconciler = NewReconciler(Digest);

        var first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Equal("a1", Assert.Single(first.Actions.OfType<CreateReplica>()).Host);
        Assert.Equal("b1", Assert.Single(first.Actions.OfType<PullImage>()).Host);

        // While it pulls, passes go on: no second pull, no create on b1, the pull is in status.
        var during = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Empty(during.Actions.OfType<PullImage>());
        Assert.DoesNotContain(during.Actions, a => a.Host == "b1");
        Assert.Equal(("b1", ImageState.Pulling), (Assert.Single(during.MissingImages).Host, during.MissingImages[0].State));

        pullMayEnd.SetResult();
        await reconciler.WhenPullsDoneAsync();
        var after = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Equal("b1", Assert.Single(after.Actions.OfType<CreateReplica>()).Host);
        Assert.Equal([Digest], _b.Pulls);
        Assert.Single(_b.Containers);

        // Its start, progress and outcome, in that order; no failed create anywhere.
        var pulls = _decisions.Read("web").Where(d => d.Action == "pull").Select(d => d.Outcome).ToList();
        Assert.Equal(3, pulls.Count);
        Assert.Equal("started", pulls[0]);
        Assert.StartsWith("running: 1 of 2 layers", pulls[1], StringComparison.Ordinal);
        Assert.StartsWith("ok: pulled in", pulls[2], StringComparison.Ordinal);
        Assert.DoesNotContain(_decisions.Read("web"), d => d.Action == "create" && d.Outcome != "ok");
    }

    [Fact]
    public async Task A_failed_pull_is_a_decision_and_leaves_the_host_out_until_its_retry()
    {
        _b.OnPull = image => Task.FromException(new ContainerOperationException($"could not pull '{image}': unauthorized"));
        using var reconciler = NewReconciler(Digest);

        await reconciler.ReconcileOnceAsync(CancellationToken.None);
        await reconciler.WhenPullsDoneAsync();
        var failed = _decisions.Read("web").Last(d => d.Action == "pull");
        Assert.StartsWith("failed after", failed.Outcome, StringComparison.Ordinal);
        Assert.Contains("unauthorized", failed.Outcome, StringComparison.Ordinal);

        // Left out: both replicas on a1 now, and no pull until the backoff (5 s) ends.
        var next = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Equal("a1", Assert.Single(next.Actions.OfType<CreateReplica>()).Host);
        Assert.Empty(next.Actions.OfType<PullImage>());
        Assert.Contains("unauthorized", Assert.Single(next.MissingImages).Why, StringComparison.Ordinal);

        // After the backoff b1 takes part again: its zone's share brings a new pull (here, failing once more).
        _time.Advance(TimeSpan.FromSeconds(6));
        var retry = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        Assert.Equal("b1", Assert.Single(retry.Actions.OfType<PullImage>()).Host);
        await reconciler.WhenPullsDoneAsync();
        Assert.Equal([Digest, Digest], _b.Pulls);
        Assert.Empty(_b.Containers);
    }

    [Fact]
    public async Task A_locally_built_image_a_host_lacks_is_never_created_there_and_is_said_once()
    {
        using var reconciler = NewReconciler(LocalId);

        var first = await reconciler.ReconcileOnceAsync(CancellationToken.None);
        var second = await reconciler.ReconcileOnceAsync(CancellationToken.None);

        Assert.Equal(["a1", "a1"], first.Actions.OfType<CreateReplica>().Select(c => c.Host));
        Assert.Empty(second.Actions.OfType<CreateReplica>());
        Assert.Empty(_b.Pulls);
        Assert.Empty(_b.Containers);
        Assert.Equal(("b1", LocalId), (Assert.Single(second.MissingImages).Host, second.MissingImages[0].Image));
        var said = Assert.Single(_decisions.Read("web"), d => d.Action == "place");
        Assert.Equal(("b1", "host left out"), (said.Subject, said.Outcome));
        Assert.Contains($"b1 lacks image {LocalId}", said.Reason, StringComparison.Ordinal);
    }

    private Reconciler NewReconciler(string pin)
    {
        var spec = SpecLoader.LoadTexts([("web.yaml", "name: web\nimage: app:v1\nport: 8080\nreplicas: 2\nhealth: {path: /health}\n")])[0] with { PinnedImage = pin };
        return new Reconciler(
            new InMemoryServiceSpecSource([spec]), _hosts, new InMemoryCatalog(), new SwitchedProber(), new TimedDrain(_time), new SettableLoad(_time), _deployments, _decisions, new OpenReconcileGate(),
            Options.Create(new ScalerOptions { Cluster = "test", HostName = "a1", Zone = "zone-a" }), _time, NullLogger<Reconciler>.Instance);
    }
}

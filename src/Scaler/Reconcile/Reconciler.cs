using System.Collections.Concurrent;
using Bollard.Discovery;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Health;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Metrics;
using Bollard.Scaler.Traffic;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// One reconcile pass over this agent's hosts: observe (list containers on every host, probe health), decide (targets
/// from <see cref="ScaleController"/>, actions from <see cref="ReconcilePlanner"/>), apply. Never two passes at once.
/// Removals drain in the background so a pass never waits out a drain timeout.
/// </summary>
public sealed partial class Reconciler : IDisposable
{
    private readonly IServiceSpecSource _specs;
    private readonly HostSet _hosts;
    private readonly IReplicaRegistrar _catalog;
    private readonly IReplicaProber _prober;
    private readonly IReplicaDrain _drain;
    private readonly DecisionLog _decisions;
    private readonly ScalerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Reconciler> _logger;
    private readonly ScalerMetrics? _metrics;
    private readonly ScaleController _controller;
    private readonly DeploymentCoordinator _deployments;
    private readonly IReconcileGate _gate;
    private readonly ReplicaTracker _tracker = new();
    private readonly CrashLoops _crashLoops = new(Random.Shared.NextDouble);
    private readonly ConcurrentDictionary<string, EngineGate> _engineGates = new(StringComparer.Ordinal);
    private Dictionary<string, ServiceSpec> _passSpecs = new(StringComparer.Ordinal);
    private readonly ImagePulls _pulls = new();
    private HashSet<(string Service, string Version, string Host)> _leftOutForImage = [];
    private readonly SemaphoreSlim _onePass = new(1, 1);
    private readonly List<Task> _removals = [];
    private readonly HashSet<string> _unavailableHosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _startupWatches = new(StringComparer.Ordinal);

    public Reconciler(
        IServiceSpecSource specs,
        HostSet hosts,
        IServiceCatalog catalog,
        IReplicaProber prober,
        IReplicaDrain drain,
        IServiceLoadSource load,
        DeploymentCoordinator deployments,
        DecisionLog decisions,
        IReconcileGate gate,
        IOptions<ScalerOptions> options,
        TimeProvider time,
        ILogger<Reconciler> logger,
        ScalerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_specs, _hosts, _catalog, _prober, _drain, _decisions, _options, _time, _logger, _metrics) =
            (specs, hosts, new CatalogRegistrar(catalog), prober, drain, decisions, options.Value, time, logger, metrics);
        _deployments = deployments;
        _gate = gate;
        _controller = new ScaleController(load, new ReplicaCpu(hosts), deployments, decisions, _crashLoops);
    }

    /// <summary>Raised when a background removal finished or a new replica passed its first check, so the loop runs a pass soon.</summary>
    public event Action? Changed;

    /// <summary>The last pass's observation of every host (for status).</summary>
    public IReadOnlyList<HostObservation> LastObservation { get; private set; } = [];

    /// <summary>The last pass's plan (for status).</summary>
    public ReconcilePlan? LastPlan { get; private set; }

    /// <summary>Whether the removal of a replica has begun (out of the catalog, draining or stopping), for status.</summary>
    public bool IsRemoving(string containerId) => _tracker.IsRemoving(containerId);

    /// <summary>Whether this agent registered a replica in the catalog (it passed its first check), for status.</summary>
    public bool IsRegistered(string containerId) => _tracker.IsRegistered(containerId);

    public void Dispose()
    {
        foreach (var id in _startupWatches.Keys)
        {
            StopStartupWatch(id);
        }

        _onePass.Dispose();
    }

    /// <summary>Runs one pass and returns its plan.</summary>
    /// <exception cref="RuntimeUnavailableException">No host's engine can be reached: nothing was changed.</exception>
    public async Task<ReconcilePlan> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        var started = _time.GetTimestamp();
        try
        {
            var observed = await HostObservation.ObserveAsync(_hosts, _options.Cluster, cancellationToken);
            LastObservation = observed;
            _metrics?.Hosts(observed.Select(o => (o.Host.Name, o.Host.Zone, o.Available)));
            if (observed.All(o => !o.Available))
            {
                throw new RuntimeUnavailableException(string.Join("; ", observed.Select(o => o.Unreachable)));
            }

            var specs = _specs.Current;
            _metrics?.Ranges(specs.Select(s => (s.Name, s.Replicas.Min, s.Replicas.Max)));
            var views = await ObserveReplicasAsync(observed, specs, cancellationToken);
            var now = _time.GetUtcNow();
            _passSpecs = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
            NoteRecovered(_crashLoops.ClearRecovered(views, _passSpecs, now), now);
            var steps = await _controller.DecideAsync(specs, views, now, cancellationToken);
            var slots = observed.Select(o => new HostSlot(o.Host.Name, o.Host.Zone, o.Available)).ToList();
            var input = new ReconcileInput([.. steps.Select(s => s.Target)], slots, views, FrozenServices(observed, specs), now, _tracker.CreateBlocked(now))
            {
                Images = ImagesOf(observed, now),
                CrashBackoff = _crashLoops.Blocked(now),
            };
            var plan = ReconcilePlanner.Plan(input) with { Deployments = steps };
            NoteMissingImages(plan.MissingImages, now);
            await ApplyAsync(plan, observed.ToDictionary(o => o.Host.Name, o => o.Host, StringComparer.Ordinal), cancellationToken);
            _metrics?.Publish(plan.Counts);
            LastPlan = plan;
            return plan;
        }
        finally
        {
            _metrics?.PassTook(_time.GetElapsedTime(started));
            _onePass.Release();
        }
    }

    /// <summary>
    /// Whether some service's live load now asks for more replicas than its last decision saw, so a pass should run
    /// now. Skipped (null) while a pass runs: that pass reads the load itself, and the next check follows it.
    /// </summary>
    internal async Task<LoadRise?> CheckLoadAsync(CancellationToken cancellationToken)
    {
        if (!await _onePass.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return null;
        }

        try
        {
            return await _controller.FirstLoadRiseAsync(_specs.Current, _time.GetUtcNow(), cancellationToken);
        }
        finally
        {
            _onePass.Release();
        }
    }

    /// <summary>The versions of a service whose replicas keep failing at start, with their back-off (for status).</summary>
    public IReadOnlyList<CrashLoop> CrashLoopsOf(string service) => _crashLoops.Of(service);

    /// <summary>The create limit of each host's engine as it stands (status, tests).</summary>
    public IReadOnlyDictionary<string, EngineLimit> CreateLimits => _engineGates.ToDictionary(g => g.Key, g => g.Value.Limit, StringComparer.Ordinal);

    /// <summary>Waits for the image pulls under way to end (tests).</summary>
    public Task WhenPullsDoneAsync() => _pulls.WhenDoneAsync();

    /// <summary>True while some live replica has not passed its first health check (the loop then polls faster).</summary>
    public static bool HasStartingReplicas(ReconcilePlan plan) =>
        plan.Counts.Any(c => c.Healthy < c.Live) || plan.Actions.OfType<CreateReplica>().Any();

    /// <summary>The latest autoscaling decision of a service (null before the first pass).</summary>
    public Autoscaling.ScaleDecision? LastScaleDecision(string service) => _controller.LastDecision(service);

    /// <summary>Waits for background removals to finish (tests, and a clean shutdown).</summary>
    public Task WhenRemovalsDoneAsync()
    {
        lock (_removals)
        {
            return Task.WhenAll(_removals);
        }
    }

    private async Task<List<ReplicaView>> ObserveReplicasAsync(IReadOnlyList<HostObservation> observed, IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken)
    {
        foreach (var host in observed.Where(o => o.Available))
        {
            _tracker.RememberServices(host.Host.Name, host.Containers.Select(c => c.Service));
        }

        // Forget only what an available host no longer has: an unreachable host's replicas are unknown, not gone.
        var unavailable = observed.Where(o => !o.Available).Select(o => o.Host.Name).ToHashSet(StringComparer.Ordinal);
        var active = observed.Where(o => o.Available)
            .SelectMany(o => o.Containers.Select(c => (Host: o.Host.Name, Container: c)))
            .Where(r => !_tracker.IsRemoving(r.Container.Id))
            .ToList();
        if (unavailable.Count == 0)
        {
            _tracker.KeepOnly(observed.SelectMany(o => o.Containers).Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
        }

        await ProbeAsync(specs, active.Select(r => r.Container), cancellationToken);
        return [.. active.Select(r => new ReplicaView(r.Host, r.Container, _tracker.HealthOf(r.Container.Id), _tracker.IsRegistered(r.Container.Id)))];
    }

    /// <summary>What the planner needs of each reachable host's images: what it holds, pulls under way and failed pulls.</summary>
    private Dictionary<string, HostImages> ImagesOf(IReadOnlyList<HostObservation> observed, DateTimeOffset now)
    {
        var images = new Dictionary<string, HostImages>(StringComparer.Ordinal);
        foreach (var host in observed)
        {
            if (host.Available && _pulls.ViewOf(host.Host.Name, host.Images, now) is var view && !ReferenceEquals(view, HostImages.Unknown))
            {
                images[host.Host.Name] = view;
            }
        }

        return images;
    }

    /// <summary>Says once (a decision and a warning) when a host is left out of a version's placement for lack of its
    /// image, and when it no longer is; the plan keeps listing it for status meanwhile.</summary>
    private void NoteMissingImages(IReadOnlyList<MissingImage> missing, DateTimeOffset now)
    {
        var leftOut = new HashSet<(string Service, string Version, string Host)>();
        foreach (var m in missing.Where(m => m.State == ImageState.Unobtainable))
        {
            leftOut.Add((m.Service, m.Version, m.Host));
            if (!_leftOutForImage.Contains((m.Service, m.Version, m.Host)))
            {
                var reason = $"{m.Host} lacks image {m.Image} of version {m.Version}: {m.Why}";
                _decisions.Record(new Decision(now, m.Service, "place", m.Host, reason, "host left out"));
                LogHostLacksImage(m.Service, m.Host, m.Image, m.Version, m.Why);
            }
        }

        foreach (var (service, version, host) in _leftOutForImage.Where(k => !leftOut.Contains(k)))
        {
            LogHostImageBack(service, host, version);
        }

        _leftOutForImage = leftOut;
    }

    private HashSet<string> FrozenServices(IReadOnlyList<HostObservation> observed, IReadOnlyList<ServiceSpec> specs)
    {
        var frozen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var host in observed.Where(o => o.Available && _unavailableHosts.Remove(o.Host.Name)))
        {
            LogHostBack(host.Host.Name, host.Host.Zone);
        }

        foreach (var host in observed.Where(o => !o.Available))
        {
            // A host never seen may run anything: freeze everything rather than guess.
            var services = _tracker.LastServicesOn(host.Host.Name) ?? specs.Select(s => s.Name).ToHashSet();
            frozen.UnionWith(services);
            if (_unavailableHosts.Add(host.Host.Name))
            {
                LogHostUnavailable(host.Host.Name, host.Host.Zone, string.Join(", ", services.Order(StringComparer.Ordinal)), host.Unreachable!);
            }
        }

        return frozen;
    }

    private async Task ProbeAsync(IReadOnlyList<ServiceSpec> specs, IEnumerable<ObservedContainer> containers, CancellationToken cancellationToken)
    {
        var bySpec = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var probed = new List<string>();
        var probes = new List<Task<bool>>();
        foreach (var c in containers)
        {
            if (c.State == ContainerRunState.Running && c.HostPort is not null && bySpec.TryGetValue(c.Service, out var spec))
            {
                probed.Add(c.Id);
                probes.Add(_prober.ProbeAsync(_tracker.HealthUrl(c, spec.Health), spec.Health.Timeout, cancellationToken));
            }
        }

        // All at once, each bounded by its timeout; the prober's own tasks are awaited directly (no wrapper per replica).
        var passed = await Task.WhenAll(probes);
        for (var i = 0; i < probed.Count; i++)
        {
            _tracker.RecordProbe(probed[i], passed[i]);
        }
    }
}

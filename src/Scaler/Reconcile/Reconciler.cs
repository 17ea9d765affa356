using System.Collections.Immutable;
using System.Security.Cryptography;
using Bollard.Discovery;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Health;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// One reconcile pass on this host: observe (list containers, probe health), decide (<see cref="ReconcilePlanner"/>),
/// apply. Never two passes at once. Removals drain in the background so a pass never waits out a drain timeout.
/// </summary>
public sealed partial class Reconciler : IDisposable
{
    private readonly IServiceSpecSource _specs;
    private readonly IContainerRuntime _runtime;
    private readonly IServiceCatalog _catalog;
    private readonly IReplicaProber _prober;
    private readonly DecisionLog _decisions;
    private readonly ScalerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Reconciler> _logger;
    private readonly ReplicaTracker _tracker = new();
    private readonly SemaphoreSlim _onePass = new(1, 1);
    private readonly List<Task> _removals = [];

    public Reconciler(
        IServiceSpecSource specs,
        IContainerRuntime runtime,
        IServiceCatalog catalog,
        IReplicaProber prober,
        DecisionLog decisions,
        IOptions<ScalerOptions> options,
        TimeProvider time,
        ILogger<Reconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_specs, _runtime, _catalog, _prober, _decisions, _options, _time, _logger) =
            (specs, runtime, catalog, prober, decisions, options.Value, time, logger);
    }

    public void Dispose() => _onePass.Dispose();

    /// <summary>Raised when a background removal finished, so the loop runs a pass soon.</summary>
    public event Action? Changed;

    /// <summary>Runs one pass and returns its plan.</summary>
    /// <exception cref="RuntimeUnavailableException">Docker cannot be reached: nothing was changed.</exception>
    public async Task<ReconcilePlan> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        try
        {
            var containers = await _runtime.ListManagedAsync(_options.Cluster, cancellationToken);
            _tracker.KeepOnly(containers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
            var specs = _specs.Current;
            var active = containers.Where(c => !_tracker.IsRemoving(c.Id)).ToList();
            await ProbeAsync(specs, active, cancellationToken);

            var now = _time.GetUtcNow();
            var views = active.Select(c => new ReplicaView(c, _tracker.HealthOf(c.Id), _tracker.IsRegistered(c.Id))).ToList();
            var plan = ReconcilePlanner.Plan(new ReconcileInput(specs, views, now, _tracker.CreateBlocked(now)));
            await ApplyAsync(plan, cancellationToken);
            ScalerMetrics.Publish(plan.Counts);
            return plan;
        }
        finally
        {
            _onePass.Release();
        }
    }

    /// <summary>True while some live replica has not passed its first health check (the loop then polls faster).</summary>
    public static bool HasStartingReplicas(ReconcilePlan plan) =>
        plan.Counts.Any(c => c.Healthy < c.Live) || plan.Actions.OfType<CreateReplica>().Any();

    /// <summary>Waits for background removals to finish (tests, and a clean shutdown).</summary>
    public Task WhenRemovalsDoneAsync()
    {
        lock (_removals)
        {
            return Task.WhenAll(_removals);
        }
    }

    private async Task ProbeAsync(IReadOnlyList<ServiceSpec> specs, List<ObservedContainer> containers, CancellationToken cancellationToken)
    {
        var bySpec = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var probes = containers
            .Where(c => c.State == ContainerRunState.Running && c.HostPort is not null && bySpec.ContainsKey(c.Service))
            .Select(async c =>
            {
                var health = bySpec[c.Service].Health;
                var passed = await _prober.ProbeAsync(HealthUrl(c, health), health.Timeout, cancellationToken);
                return (c.Id, passed);
            });
        foreach (var (id, passed) in await Task.WhenAll(probes))
        {
            _tracker.RecordProbe(id, passed);
        }
    }

    private async Task ApplyAsync(ReconcilePlan plan, CancellationToken cancellationToken)
    {
        var steps = new List<Task>();
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case RemoveReplica remove when _tracker.TryBeginRemoval(remove.Container.Id):
                    Track(RemoveAsync(remove, _tracker.IsRegistered(remove.Container.Id)));
                    break;
                case RegisterReplica register:
                    steps.Add(RegisterAsync(register, cancellationToken));
                    break;
                case CreateReplica create:
                    steps.Add(CreateAsync(create, cancellationToken));
                    break;
            }
        }

        await Task.WhenAll(steps);
    }

    private void Track(Task removal)
    {
        lock (_removals)
        {
            _removals.RemoveAll(t => t.IsCompleted);
            _removals.Add(removal);
        }
    }

    private async Task RegisterAsync(RegisterReplica action, CancellationToken cancellationToken)
    {
        var registration = RegistrationFor(action.Spec, action.Container);
        try
        {
            await _catalog.RegisterAsync(registration, cancellationToken);
            _tracker.MarkRegistered(action.Container.Id);
            Decide(action, "register", action.Container.ShortId, "ok");
        }
        catch (CatalogUnavailableException e)
        {
            // Retried by the next pass; the replica simply gets no traffic until then.
            Decide(action, "register", action.Container.ShortId, e.Message);
        }
    }

    private async Task CreateAsync(CreateReplica action, CancellationToken cancellationToken)
    {
        try
        {
            var created = await _runtime.CreateAndStartAsync(CreateRequestFor(action.Spec), cancellationToken);
            _tracker.RecordCreateSuccess(action.Service);
            Decide(action, "create", created.ShortId, "ok");
        }
        catch (Exception e) when (e is ContainerOperationException or RuntimeUnavailableException)
        {
            var wait = _tracker.RecordCreateFailure(action.Service, _time.GetUtcNow(), _options.MaxBackoff);
            Decide(action, "create", null, $"failed, retrying in {Durations.Format(wait)}: {e.Message}");
        }
    }

    private async Task RemoveAsync(RemoveReplica action, bool registered)
    {
        var container = action.Container;
        try
        {
            if (registered && !await TryDeregisterAsync(container, running: container.State != ContainerRunState.Stopped))
            {
                // The catalog could not be told: a running replica stays (static stability), the next pass retries.
                Decide(action, "remove", container.ShortId, "postponed: the catalog is unreachable, the replica keeps running");
                return;
            }

            Decide(action, "remove", container.ShortId, "started");
            if (action.Drain > TimeSpan.Zero)
            {
                await Task.Delay(action.Drain, _time);
            }

            await _runtime.StopAsync(container.Id, action.GracePeriod, CancellationToken.None);
            await _runtime.RemoveAsync(container.Id, CancellationToken.None);
            LogRemoved(container.ShortId, action.Service);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            LogRemoveFailed(container.ShortId, action.Service, e.Message);
        }
        finally
        {
            _tracker.EndRemoval(container.Id);
            Changed?.Invoke();
        }
    }

    private async Task<bool> TryDeregisterAsync(ObservedContainer container, bool running)
    {
        try
        {
            await _catalog.DeregisterAsync(InstanceId(container), CancellationToken.None);
            _tracker.MarkDeregistered(container.Id);
            return true;
        }
        catch (CatalogUnavailableException e)
        {
            LogDeregisterFailed(container.ShortId, e.Message);
            return !running; // a dead container can go: the catalog's own check already fails it
        }
    }

    private void Decide(ReconcileAction action, string verb, string? subject, string outcome)
    {
        var decision = new Decision(_time.GetUtcNow(), action.Service, verb, subject, action.Reason, outcome);
        _decisions.Record(decision);
        LogDecision(action.Service, verb, subject ?? "-", action.Reason, outcome);
    }

    internal static string InstanceId(ObservedContainer container) => $"{container.Service}-{container.ShortId}";

    private static Uri HealthUrl(ObservedContainer c, HealthCheckSpec health) =>
        new($"http://{c.HostAddress}:{c.HostPort}{health.Path}");

    private ServiceRegistration RegistrationFor(ServiceSpec spec, ObservedContainer container)
    {
        var address = _options.AdvertiseAddress ?? container.HostAddress;
        var check = new HealthCheckRegistration(
            new Uri($"http://{address}:{container.HostPort}{spec.Health.Path}"),
            spec.Health.Interval,
            spec.Health.Timeout,
            _options.DeregisterCriticalAfter);
        return new ServiceRegistration(InstanceId(container), spec.Name, address, container.HostPort!.Value, container.Zone, container.Version, check);
    }

    private ContainerCreateRequest CreateRequestFor(ServiceSpec spec)
    {
        var version = spec.Version;
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var labels = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [ContainerLabels.ManagedBy] = ContainerLabels.ManagedByValue,
            [ContainerLabels.Cluster] = _options.Cluster,
            [ContainerLabels.Service] = spec.Name,
            [ContainerLabels.Version] = version,
            [ContainerLabels.Zone] = _options.Zone,
            [ContainerLabels.ContainerPort] = spec.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var env = spec.Env.ToImmutableDictionary()
            .SetItem("BOLLARD_SERVICE", spec.Name)
            .SetItem("BOLLARD_VERSION", version)
            .SetItem("BOLLARD_ZONE", _options.Zone);
        return new ContainerCreateRequest($"bollard-{_options.Cluster}-{spec.Name}-{version[..6]}-{suffix}", spec.Image, spec.Port, _options.PublishAddress)
        {
            Labels = labels,
            Environment = env,
            CpuLimit = spec.Resources.Cpus,
            MemoryLimitBytes = spec.Resources.MemoryBytes,
        };
    }
}

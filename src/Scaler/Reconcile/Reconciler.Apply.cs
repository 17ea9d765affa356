using System.Security.Cryptography;
using Bollard.Discovery;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Health;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// The applier, the one place a pass's decisions take effect: first each service's deployment step (its record saved,
/// its decisions logged, its weights published), then the plan's actions, each recorded in the decision log with its
/// outcome. A deployment step that cannot be saved fails the pass before any action. Every effect first asks the
/// <see cref="IReconcileGate"/> whether this agent may still act (<see cref="IReconcileGate.EnsureOpenAsync"/>): a
/// controller that lost its lock mid-pass stops before its next effect, also in background removals, pulls and
/// startup registrations.
/// </summary>
public sealed partial class Reconciler
{
    /// <param name="plan">The pass's plan.</param>
    /// <param name="hosts">The hosts the pass observed: the set may change meanwhile (cluster mode), a plan applies to what it saw.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    private async Task ApplyAsync(ReconcilePlan plan, Dictionary<string, ManagedHost> hosts, CancellationToken cancellationToken)
    {
        foreach (var deployment in plan.Deployments)
        {
            await _gate.EnsureOpenAsync(cancellationToken);
            await _deployments.ApplyAsync(deployment, cancellationToken);
        }

        var steps = new List<Task>();
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case RemoveReplica remove when _tracker.TryBeginRemoval(remove.Container.Id):
                    NoteFailure(remove);
                    Track(RemoveAsync(remove, hosts[remove.Host], _tracker.IsRegistered(remove.Container.Id)));
                    break;
                case RegisterReplica register:
                    steps.Add(RegisterAsync(register, hosts[register.Host], cancellationToken));
                    break;
                case CreateReplica create:
                    steps.Add(CreateAsync(create, hosts[create.Host], cancellationToken));
                    break;
                case PullImage pull when _pulls.TryBegin(pull.Host, pull.Image):
                    _pulls.Track(Task.Run(() => PullAsync(pull, hosts[pull.Host], cancellationToken), CancellationToken.None));
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

    private async Task RegisterAsync(RegisterReplica action, ManagedHost host, CancellationToken cancellationToken)
    {
        if (_tracker.IsRegistered(action.Container.Id))
        {
            return; // its startup watch registered it while this pass was planning
        }

        var registration = ReplicaRequests.Registration(action.Spec, host, action.Container, _options.DeregisterCriticalAfter);
        await _gate.EnsureOpenAsync(cancellationToken);
        try
        {
            await RegistrarOf(host).RegisterAsync(registration, cancellationToken);
            _tracker.MarkRegistered(action.Container.Id);
            Decide(action, "register", action.Container.ShortId, "ok");
        }
        catch (CatalogUnavailableException e)
        {
            // Retried by the next pass; the replica simply gets no traffic until then.
            Decide(action, "register", action.Container.ShortId, e.Message);
        }
    }

    private async Task CreateAsync(CreateReplica action, ManagedHost host, CancellationToken cancellationToken)
    {
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        await _gate.EnsureOpenAsync(cancellationToken);
        try
        {
            // Under the engine's adaptive limit: a burst of creates waits its turn instead of making the engine time out.
            var gate = _engineGates.GetOrAdd(host.Name, _ => new EngineGate(_options.CreateLimit, _time));
            var request = ReplicaRequests.Create(action.Spec, host, _options.Cluster, suffix);
            var created = await gate.RunAsync(ct => host.Runtime.CreateAndStartAsync(request, ct), cancellationToken);
            _tracker.RecordCreateSuccess(action.Service, action.Host);
            Decide(action, "create", created.ShortId, "ok");
            WatchStartup(action.Spec, host, created, cancellationToken);
        }
        catch (Exception e) when (e is ContainerOperationException or RuntimeUnavailableException)
        {
            var wait = _tracker.RecordCreateFailure(action.Service, action.Host, _time.GetUtcNow(), _options.MaxBackoff);
            Decide(action, "create", null, $"failed, retrying in {Durations.Format(wait)}: {e.Message}");
        }
    }

    /// <summary>
    /// Pulls an image onto a host in the background (a download may take minutes; passes go on meanwhile, and the host's
    /// replicas of it wait). Its start, progress and outcome are decisions; when it ends the loop is woken, and the next
    /// pass creates the replicas (the host now holds the image) or leaves the host out for the retry's backoff.
    /// </summary>
    private async Task PullAsync(PullImage action, ManagedHost host, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            await _gate.EnsureOpenAsync(cancellationToken);
            Decide(action, "pull", action.Image, "started");
            var result = await host.Runtime.PullImageAsync(action.Image, new PullReporter(p => Decide(action, "pull", action.Image, $"running: {p}")), cancellationToken);
            _pulls.Succeeded(action.Host, action.Image, _time.GetUtcNow());
            Decide(action, "pull", action.Image, $"ok: {result}");
        }
        catch (Exception e) when (e is ContainerOperationException or RuntimeUnavailableException)
        {
            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            var wait = _pulls.Failed(action.Host, action.Image, e.Message, _time.GetUtcNow(), _options.MaxBackoff);
            Decide(action, "pull", action.Image, $"failed after {seconds:0.0} s; {action.Host} is left out of its placement for {Durations.Format(wait)}, then pulls again: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _pulls.Abandoned(action.Host, action.Image); // stopping
            return;
        }
        catch (NotLeadingException e)
        {
            // Whoever controls the cluster now pulls it, if it still wants it.
            _pulls.Abandoned(action.Host, action.Image);
            LogStoppedNotLeading(action.Service, "pull", "image", action.Image, e.Message);
            return;
        }

        Changed?.Invoke();
    }

    /// <summary>Passes a pull's progress on as it comes (no hop through a synchronization context: it is only a decision).</summary>
    private sealed class PullReporter(Action<ImagePullProgress> report) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value) => report(value);
    }

    /// <summary>
    /// Probes a replica just started every <see cref="ScalerOptions.StartupProbeInterval"/> until it first answers,
    /// then registers it and wakes the loop. In the background: a pass never waits for an app to start; the
    /// start-period rule of the passes still removes one that never answers, and a removal stops its probing.
    /// Registering here rather than in the next pass matters in a scale-out: the pass creating the other replicas
    /// holds the pass lock for as long as the engine takes to start them (seconds on a busy host), and a replica
    /// that is ready would wait that long for traffic.
    /// </summary>
    private void WatchStartup(ServiceSpec spec, ManagedHost host, ObservedContainer container, CancellationToken cancellationToken)
    {
        if (container.HostPort is null)
        {
            return;
        }

        var health = spec.Health;
        var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _startupWatches[container.Id] = watch;
        _ = Task.Run(
            async () =>
            {
                var started = _time.GetTimestamp();
                try
                {
                    var (passed, probes) = await StartupProbe.UntilPassingAsync(
                        _prober, ReplicaRequests.HealthUrl(container, health), health.Timeout, _options.StartupProbeInterval, health.StartPeriod, _time, watch.Token);
                    var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
                    if (passed)
                    {
                        LogStartupPassed(container.Service, container.ShortId, elapsed, probes);
                        // Not the watch's token: a removal cancels the watch, and a registration cut off mid-call might
                        // still land, unseen by the removal. Run to the end, the removal check then takes it back.
                        await RegisterStartedAsync(new RegisterReplica(spec, host.Name, container, "health check passed"), host, cancellationToken);
                        Changed?.Invoke();
                    }
                    else
                    {
                        LogStartupFailed(container.Service, container.ShortId, elapsed, probes);
                    }
                }
                catch (OperationCanceledException) when (watch.IsCancellationRequested)
                {
                    // Removed meanwhile, or stopping.
                }
                finally
                {
                    _startupWatches.TryRemove(container.Id, out _);
                    watch.Dispose();
                }
            },
            CancellationToken.None);
    }

    /// <summary>
    /// Registers a replica whose first check passed, outside any pass. A removal that began meanwhile wins: the
    /// registration is taken back (the removal may have looked before it landed). A catalog that cannot be reached
    /// leaves it to the next pass, which registers every passing replica that is not registered.
    /// </summary>
    private async Task RegisterStartedAsync(RegisterReplica action, ManagedHost host, CancellationToken cancellationToken)
    {
        if (_tracker.IsRegistered(action.Container.Id))
        {
            return; // a pass probed it first and registered it
        }

        var registration = ReplicaRequests.Registration(action.Spec, host, action.Container, _options.DeregisterCriticalAfter);
        try
        {
            await _gate.EnsureOpenAsync(cancellationToken);
            await RegistrarOf(host).RegisterAsync(registration, cancellationToken);
            if (_tracker.TryMarkRegistered(action.Container.Id))
            {
                Decide(action, "register", action.Container.ShortId, "ok");
                return;
            }

            await TryDeregisterAsync(RegistrarOf(host), action.Container, running: true);
        }
        catch (CatalogUnavailableException e)
        {
            Decide(action, "register", action.Container.ShortId, e.Message);
        }
        catch (NotLeadingException e)
        {
            // Whoever controls the cluster now registers it, if it still wants it.
            LogStoppedNotLeading(action.Service, "registration", "replica", action.Container.ShortId, e.Message);
        }
    }

    private void StopStartupWatch(string containerId)
    {
        if (_startupWatches.TryGetValue(containerId, out var watch))
        {
            try
            {
                watch.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended on its own meanwhile.
            }
        }
    }

    private async Task RemoveAsync(RemoveReplica action, ManagedHost host, bool registered)
    {
        var container = action.Container;
        StopStartupWatch(container.Id);
        var runtime = host.Runtime;
        var removed = false;
        try
        {
            await _gate.EnsureOpenAsync(CancellationToken.None);
            if (registered && !await TryDeregisterAsync(RegistrarOf(host), container, running: container.State != ContainerRunState.Stopped))
            {
                // The catalog could not be told: a running replica stays (static stability), the next pass retries.
                Decide(action, "remove", container.ShortId, "postponed: the catalog is unreachable, the replica keeps running");
                return;
            }

            Decide(action, "remove", container.ShortId, "started");
            if (registered && action.Drain > TimeSpan.Zero)
            {
                await _drain.WaitAsync(ReplicaRequests.InstanceId(container), action.Drain, CancellationToken.None);
            }

            await _gate.EnsureOpenAsync(CancellationToken.None);
            await runtime.StopAsync(container.Id, action.GracePeriod, CancellationToken.None);
            await _gate.EnsureOpenAsync(CancellationToken.None);
            await runtime.RemoveAsync(container.Id, CancellationToken.None);
            removed = true;
            LogRemoved(container.ShortId, action.Service);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            LogRemoveFailed(container.ShortId, action.Service, e.Message);
        }
        catch (NotLeadingException e)
        {
            // Whoever controls the cluster now finishes it, or keeps the replica, from what it observes.
            LogStoppedNotLeading(action.Service, "removal", "replica", container.ShortId, e.Message);
        }
        finally
        {
            _tracker.EndRemoval(container.Id, removed);
            Changed?.Invoke();
        }
    }

    private async Task<bool> TryDeregisterAsync(IReplicaRegistrar registrar, ObservedContainer container, bool running)
    {
        try
        {
            await registrar.DeregisterAsync(ReplicaRequests.InstanceId(container), CancellationToken.None);
            _tracker.MarkDeregistered(container.Id);
            return true;
        }
        catch (CatalogUnavailableException e)
        {
            LogDeregisterFailed(container.ShortId, e.Message);
            return !running; // a dead container can go: the catalog's own check already fails it
        }
    }

    private IReplicaRegistrar RegistrarOf(ManagedHost host) => host.Registrar ?? _catalog;

    private void Decide(ReconcileAction action, string verb, string? subject, string outcome)
    {
        var decision = new Decision(_time.GetUtcNow(), action.Service, verb, subject, $"{action.Reason} [host {action.Host}]", outcome);
        _decisions.Record(decision);
        LogDecision(action.Service, verb, subject ?? "-", action.Reason, outcome);
    }
}

using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// Turns a service's desired spec and total replica count into what to run, per version, for this pass. When the
/// desired version differs from the stable one a rollout starts (the spec's strategy); each pass advances it through
/// <see cref="RolloutEngine"/>, saves it, sets the traffic weights and says how many replicas each version gets. The
/// autoscaler's total is split between the versions, so scaling and rollouts never fight.
/// </summary>
/// <remarks>
/// A version that was rolled back or aborted is not retried while it stays the desired one: the stable version keeps
/// serving until a new version is applied. Only the reconcile loop calls <see cref="TargetAsync"/> (one pass at a time);
/// commands from the admin API go through <see cref="CommandAsync"/>, serialised with it.
/// </remarks>
public sealed class DeploymentCoordinator(DeploymentStore store, IVersionTraffic traffic, ImagePinner pinner, DecisionLog decisions) : IDisposable
{
    private readonly Dictionary<string, Deployment> _deployments = new(StringComparer.Ordinal);

    // Services whose weights are known to be cleared, so a steady service does not clear them (a Consul write) every pass.
    private readonly HashSet<string> _weightsCleared = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Forgets every deployment held in memory: the next pass reads each from the store again. For a cluster's
    /// controller that takes over, since another controller may have moved the rollouts meanwhile.
    /// </summary>
    public async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_deployments)
            {
                _deployments.Clear();
            }

            _weightsCleared.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The current deployment record of a service (null before its first pass).</summary>
    public Deployment? Current(string service)
    {
        lock (_deployments)
        {
            return _deployments.GetValueOrDefault(service);
        }
    }

    public Task<ServiceTarget> TargetAsync(ServiceSpec desired, int total, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, CancellationToken cancellationToken) =>
        TargetAsync(desired, total, replicas, now, static _ => 0, cancellationToken);

    /// <param name="desired">The desired spec.</param>
    /// <param name="total">The autoscaler's total.</param>
    /// <param name="replicas">The service's live replicas.</param>
    /// <param name="now">The pass's time.</param>
    /// <param name="failedStarts">Failed starts in a row of a version (the crash back-off's count), by version.</param>
    /// <param name="cancellationToken">Cancels the pass.</param>
    public async Task<ServiceTarget> TargetAsync(
        ServiceSpec desired, int total, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, Func<string, int> failedStarts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(failedStarts);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Decisions of this pass are recorded once its record is saved: a pass whose save fails (the store is
            // unreachable, or another writer won) is decided again from the stored record, and must not log twice.
            var decided = new List<Decision>();
            var known = Current(desired.Name) ?? await store.LoadAsync(desired.Name, cancellationToken);
            desired = await PinAsync(desired, known, cancellationToken);
            var deployment = Begin(known ?? Adopt(desired, replicas, now, decided), desired, now, decided);
            if (!deployment.IsRolling)
            {
                await SaveAsync(desired.Name, deployment, cancellationToken);
                RecordAll(decided);
                if (!_weightsCleared.Contains(desired.Name))
                {
                    await traffic.ClearWeightsAsync(desired.Name, cancellationToken);
                    _weightsCleared.Add(desired.Name);
                }

                return ServiceTarget.Steady(deployment.Stable, total);
            }

            var step = RolloutEngine.Advance(deployment.Rollout!, Observe(deployment, total, replicas) with { NewFailedStarts = failedStarts(deployment.Rollout!.NewVersion) }, now);
            var next = Finish(deployment with { Rollout = step.State }, step);
            Describe(desired.Name, deployment.Rollout!, step, now, decided);

            // Saved first, then published: a weight the balancers see is always one the saved record holds, and a
            // step whose save failed is neither published nor logged (the next pass takes it from the store again).
            await SaveAsync(desired.Name, next, cancellationToken);
            RecordAll(decided);
            await PublishWeightsAsync(next, step, cancellationToken);
            return TargetOf(deployment, step);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies an operator's command (pause, resume, promote, abort, undo) to a service's rollout.</summary>
    public async Task<RolloutCommandResult> CommandAsync(string service, RolloutCommand command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var deployment = Current(service) ?? await store.LoadAsync(service, cancellationToken);
            if (deployment?.Rollout is not { } rollout)
            {
                return new RolloutCommandResult(false, null!, $"service '{service}' has no rollout");
            }

            if (deployment.Settled)
            {
                // E.g. an undo sent just as the rollback window ended: the old set is already going.
                return RolloutCommandResult.Refuse(rollout, $"cannot {command.ToString().ToLowerInvariant()}: the rollout to {rollout.NewVersion} has finished ({BackwardRollout.Describe(rollout.Phase)}) and settled");
            }

            var result = RolloutEngine.Apply(rollout, command, now);
            if (result.Accepted)
            {
                await SaveAsync(service, deployment with { Rollout = result.State }, cancellationToken);
                decisions.Record(new Decision(now, service, $"rollout {command.ToString().ToLowerInvariant()}", deployment.New?.Version, result.Reason, "accepted"));
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A desired spec that entered unpinned (spec files read at start) takes the pin its image has in the deployment
    /// record, so a tag moved while the agent was down does not make a new version; an image the record does not know
    /// is resolved on the engine.
    /// </summary>
    private Task<ServiceSpec> PinAsync(ServiceSpec desired, Deployment? known, CancellationToken cancellationToken) =>
        desired.PinnedImage is not null
            ? Task.FromResult(desired)
            : pinner.PinAsync(desired, [ImagePin.Of(known?.New), ImagePin.Of(known?.Stable), ImagePin.Of(known?.Previous)], fresh: false, askRegistry: false, cancellationToken);

    /// <summary>
    /// The first record of a service (first start, or the state store lost it). When another version runs more
    /// replicas than the desired one, and its containers' labels say what it is, it is the stable version: the desired
    /// one is then rolled out with the spec's strategy instead of replacing it as soon as it is healthy.
    /// </summary>
    private static Deployment Adopt(ServiceSpec desired, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, List<Decision> decided)
    {
        var running = replicas.Where(r => r.Container.State == Runtime.ContainerRunState.Running).ToList();
        var wanted = running.Count(r => r.Container.Version == desired.Version);
        var other = running.Where(r => r.Container.Version != desired.Version)
            .GroupBy(r => r.Container.Version, StringComparer.Ordinal)
            .Where(g => g.Count() > wanted)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Count: g.Count(), Spec: g.Select(r => VersionSettings.Restore(desired, r.Container)).FirstOrDefault(s => s is not null)))
            .FirstOrDefault();
        if (other.Spec is not { } stable)
        {
            return new Deployment(desired);
        }

        decided.Add(new Decision(now, desired.Name, "adopt", stable.Version, $"no deployment record: the {other.Count} running replicas of {stable.Version} are the stable version, {desired.Version} is rolled out from them", "adopted"));
        return new Deployment(stable);
    }

    private static Deployment Begin(Deployment deployment, ServiceSpec desired, DateTimeOffset now, List<Decision> decided)
    {
        if (desired.Version == deployment.Stable.Version)
        {
            // Same containers; settings that do not make a version (replicas, route, health timings) follow the spec.
            if (deployment.IsRolling && RolloutEngine.Apply(deployment.Rollout!, RolloutCommand.Abort, now) is { Accepted: true } abort)
            {
                // The desired spec went back to the stable version mid-rollout: the new version is no longer wanted.
                decided.Add(new Decision(now, desired.Name, "rollout abort", deployment.Rollout!.NewVersion, $"the desired version is the stable {desired.Version} again; {abort.Reason}", "accepted"));
                return deployment with { Stable = desired, Rollout = abort.State };
            }

            return deployment with { Stable = desired };
        }

        if (deployment.Rollout is { } last && last.NewVersion == desired.Version)
        {
            return deployment with { New = desired }; // running, succeeded-then-undone, or rolled back: no retry
        }

        var rollout = RolloutEngine.Start(desired.Name, deployment.Stable.Version, desired.Version, desired.Rollout, now);
        decided.Add(new Decision(now, desired.Name, "rollout start", desired.Version, $"desired version {desired.Version} differs from stable {deployment.Stable.Version}; strategy {desired.Rollout.Strategy.GetType().Name.Replace("Spec", "", StringComparison.Ordinal)}", "started"));
        return deployment with { Rollout = rollout, New = desired, Settled = false };
    }

    private RolloutObservation Observe(Deployment deployment, int total, IReadOnlyList<ReplicaView> replicas)
    {
        var rollout = deployment.Rollout!;

        // One analysis interval: a canary is judged on what it serves now. (One the balancer ejected for its errors gets
        // no more requests; the analysis fails it for being starved of the share its weight should bring.)
        var window = deployment.New!.Rollout.Analysis.Interval;
        return new RolloutObservation(
            replicas.Count(r => r.Container.Version == rollout.StableVersion && r.Health.Passing),
            replicas.Count(r => r.Container.Version == rollout.NewVersion && r.Health.Passing),
            total,
            traffic.Read(rollout.Service, rollout.StableVersion, window),
            traffic.Read(rollout.Service, rollout.NewVersion, window));
    }

    /// <summary>Settles a finished rollout once the version it leaves behind may go: the new version becomes the stable
    /// one after a success; after a rollback or abort the stable version stays.</summary>
    private static Deployment Finish(Deployment deployment, RolloutStep step)
    {
        if (!step.State.Phase.IsFinished() || step.RemovableVersion is null)
        {
            return deployment;
        }

        return step.State.Phase == RolloutPhase.Succeeded
            ? deployment with { Stable = deployment.New!, Previous = deployment.Stable, Settled = true }
            : deployment with { Settled = true };
    }

    private static ServiceTarget TargetOf(Deployment deployment, RolloutStep step) =>
        new(deployment.Stable.Name, [new VersionTarget(deployment.Stable, step.StableReplicas), new VersionTarget(deployment.New!, step.NewReplicas)]);

    private async Task PublishWeightsAsync(Deployment deployment, RolloutStep step, CancellationToken cancellationToken)
    {
        _weightsCleared.Remove(deployment.Stable.Name);
        if (deployment.New!.Rollout.Strategy is RollingSpec)
        {
            // A rolling update has no weights of its own: traffic follows the ready replicas.
            await traffic.ClearWeightsAsync(deployment.Stable.Name, cancellationToken);
            return;
        }

        await traffic.SetWeightsAsync(
            deployment.Stable.Name,
            new Dictionary<string, int> { [step.State.StableVersion] = step.StableWeight, [step.State.NewVersion] = step.NewWeight },
            cancellationToken);
    }

    private async Task SaveAsync(string service, Deployment deployment, CancellationToken cancellationToken)
    {
        var previous = Current(service);
        if (previous == deployment)
        {
            return;
        }

        bool saved;
        try
        {
            saved = await store.SaveAsync(service, deployment, cancellationToken);
        }
        catch (State.StateStoreUnavailableException)
        {
            // The write may have landed or not: forget the cached record, so the next pass reads what the store holds.
            lock (_deployments)
            {
                _deployments.Remove(service);
            }

            throw;
        }

        if (!saved)
        {
            // Changed elsewhere since loaded: forget the cached record so the next pass starts from the stored one.
            lock (_deployments)
            {
                _deployments.Remove(service);
            }

            throw new State.StateConflictException($"the deployment record of '{service}' changed in the state store during this pass; the next pass reloads it");
        }

        lock (_deployments)
        {
            _deployments[service] = deployment;
        }
    }

    private static void Describe(string service, RolloutState before, RolloutStep step, DateTimeOffset now, List<Decision> decided)
    {
        if (step.Check is { } check)
        {
            decided.Add(new Decision(now, service, "rollout analysis", step.State.NewVersion, check.Result.Reason, check.Result.Verdict.ToString()));
        }

        if (before.Phase != step.State.Phase || before.StepIndex != step.State.StepIndex || before.CanaryWeight != step.State.CanaryWeight)
        {
            decided.Add(new Decision(
                now, service, "rollout step", step.State.NewVersion, step.Reason,
                $"{step.State.Phase}: weight {Weights.Percent(step.NewWeight)} new, replicas {step.StableReplicas} stable + {step.NewReplicas} new"));
        }
    }

    private void RecordAll(List<Decision> decided)
    {
        foreach (var decision in decided)
        {
            decisions.Record(decision);
        }
    }
}

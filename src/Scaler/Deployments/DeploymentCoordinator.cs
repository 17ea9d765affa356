using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// Turns a service's desired spec and total replica count into what to run, per version, for this pass. When the
/// desired version differs from the stable one a rollout starts (the spec's strategy); each pass advances it through
/// <see cref="RolloutEngine"/>. Deciding (<see cref="DecideAsync"/>) only reads: it returns a <see cref="DeploymentStep"/>
/// (the next record, the decisions, the weights, the replicas per version). Applying it (<see cref="ApplyAsync"/>,
/// when the pass applies its plan) saves the record, then logs the decisions, then publishes the weights. The
/// autoscaler's total is split between the versions, so scaling and rollouts never fight.
/// </summary>
/// <remarks>
/// A version that was rolled back or aborted is not retried while it stays the desired one: the stable version keeps
/// serving until a new version is applied. Only the reconcile loop decides and applies steps (one pass at a time);
/// commands from the admin API go through <see cref="CommandAsync"/>, serialised with them. A step is saved with a
/// check-and-set on the record it was decided from, so a command that landed in between wins and the pass decides again.
/// </remarks>
public sealed class DeploymentCoordinator(DeploymentStore store, IVersionTraffic traffic, ImagePinner pinner, DecisionLog decisions) : IDisposable
{
    // The last record saved or read, per service, with its store version.
    private readonly Dictionary<string, StoredDeployment> _deployments = new(StringComparer.Ordinal);

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
    public Deployment? Current(string service) => Cached(service)?.Record;

    /// <summary>
    /// Decides this pass's step for a service: reads the record (memory, else the store), pins the image, observes the
    /// versions' traffic, and asks <see cref="DeploymentPolicy"/>. Saves, logs and publishes nothing.
    /// </summary>
    /// <exception cref="State.StateStoreUnavailableException">The record cannot be read.</exception>
    public async Task<DeploymentStep> DecideAsync(ServiceSpec desired, int total, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var from = Cached(desired.Name) ?? await store.ReadStoredAsync(desired.Name, cancellationToken);
            desired = await PinAsync(desired, from?.Record, cancellationToken);
            var decided = new List<Decision>();
            var deployment = DeploymentPolicy.Begin(from?.Record, desired, replicas, now, decided);
            return deployment.IsRolling
                ? DeploymentPolicy.Advance(from, deployment, Observe(deployment, total, replicas), now, decided)
                : DeploymentPolicy.Steady(from, deployment, total, _weightsCleared.Contains(desired.Name), decided);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies a step: saves its record (check-and-set on the record it was decided from), then logs its decisions,
    /// then publishes its weights. Saved first: a weight the balancers see is always one the saved record holds, and a
    /// step whose save failed is neither published nor logged (the next pass decides again from the stored record).
    /// </summary>
    /// <exception cref="State.StateStoreUnavailableException">The store did not answer (the next pass reads what it holds).</exception>
    /// <exception cref="State.StateConflictException">The record changed since the step was decided.</exception>
    public async Task ApplyAsync(DeploymentStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (step.Changes)
            {
                await SaveAsync(step.Service, step.Next, step.From, cancellationToken);
            }
            else if (step.From is { } unchanged)
            {
                Remember(step.Service, unchanged);
            }

            foreach (var decision in step.Decisions)
            {
                decisions.Record(decision);
            }

            await PublishAsync(step, cancellationToken);
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
            var from = Cached(service) ?? await store.ReadStoredAsync(service, cancellationToken);
            if (from?.Record is not { Rollout: { } rollout } deployment)
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
                await SaveAsync(service, deployment with { Rollout = result.State }, from, cancellationToken);
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

    private async Task PublishAsync(DeploymentStep step, CancellationToken cancellationToken)
    {
        if (step.Weights is not { } weights)
        {
            return;
        }

        if (weights.PerMille is { } perMille)
        {
            _weightsCleared.Remove(step.Service);
            await traffic.SetWeightsAsync(step.Service, perMille, cancellationToken);
            return;
        }

        await traffic.ClearWeightsAsync(step.Service, cancellationToken);

        // A steady service's weights are then known cleared; a rolling update's are cleared again every step.
        if (step.Next.IsRolling)
        {
            _weightsCleared.Remove(step.Service);
        }
        else
        {
            _weightsCleared.Add(step.Service);
        }
    }

    private async Task SaveAsync(string service, Deployment deployment, StoredDeployment? from, CancellationToken cancellationToken)
    {
        StoredDeployment? saved;
        try
        {
            saved = await store.SaveAsync(service, deployment, from?.Version ?? 0, cancellationToken);
        }
        catch (State.StateStoreUnavailableException)
        {
            // The write may have landed or not: forget the cached record, so the next pass reads what the store holds.
            Forget(service);
            throw;
        }

        if (saved is null)
        {
            // Changed elsewhere since it was read: the next pass starts from the stored one.
            Forget(service);
            throw new State.StateConflictException($"the deployment record of '{service}' changed in the state store during this pass; the next pass reloads it");
        }

        Remember(service, saved);
    }

    private StoredDeployment? Cached(string service)
    {
        lock (_deployments)
        {
            return _deployments.GetValueOrDefault(service);
        }
    }

    private void Remember(string service, StoredDeployment stored)
    {
        lock (_deployments)
        {
            _deployments[service] = stored;
        }
    }

    private void Forget(string service)
    {
        lock (_deployments)
        {
            _deployments.Remove(service);
        }
    }
}

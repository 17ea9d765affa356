using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Traffic;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Decides each service's target for a pass: the total from the autoscaler (or the fixed count), then the deployment
/// step, which splits it between versions (one version unless a rollout runs). Keeps the autoscaler's history between passes and records
/// every change of decision in the decision log, with its inputs.
/// </summary>
internal sealed class ScaleController(IServiceLoadSource load, ReplicaCpu cpu, DeploymentCoordinator deployments, DecisionLog decisions)
{
    private readonly Dictionary<string, AutoscalerHistory> _histories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScaleDecision> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ready = new(StringComparer.Ordinal);

    /// <summary>Each service's deployment step, whose <see cref="DeploymentStep.Target"/> is what it should run; nothing is applied.</summary>
    public async Task<IReadOnlyList<DeploymentStep>> DecideAsync(
        IReadOnlyList<ServiceSpec> specs, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var steps = new List<DeploymentStep>(specs.Count);
        var byService = ReplicaGroups.ByService(replicas);
        foreach (var spec in specs)
        {
            List<ReplicaView> mine = byService.TryGetValue(spec.Name, out var all) ? [.. all.Where(r => r.Container.State != Runtime.ContainerRunState.Stopped)] : [];
            var ready = mine.Count(r => r.Health.Passing);
            var observed = spec.Autoscaling is null ? null : await load.ReadAsync(spec.Name, ready, cancellationToken);
            observed = await WithCpuAsync(spec, observed, mine, ready, now, cancellationToken);
            var input = new AutoscaleInput(spec.Autoscaling, spec.Replicas, mine.Count, ready, observed, now, AutoscaleInput.DefaultStalenessLimit);
            var (decision, history) = AutoscalePolicy.Decide(input, _histories.GetValueOrDefault(spec.Name, AutoscalerHistory.Empty));
            _histories[spec.Name] = history;
            _ready[spec.Name] = ready;
            Record(spec.Name, decision, now);
            steps.Add(await deployments.DecideAsync(spec, decision.Desired, mine, now, cancellationToken));
        }

        foreach (var gone in _histories.Keys.Except(specs.Select(s => s.Name)).ToList())
        {
            _histories.Remove(gone);
            cpu.Forget(gone);
            _last.Remove(gone);
            _ready.Remove(gone);
        }

        return steps;
    }

    /// <summary>
    /// Adds the ready replicas' average CPU to the observation, only for a service scaled on CPU (reading Docker stats
    /// costs a call per replica). The average covers the same replicas as the balancer's figures: the ready ones.
    /// </summary>
    private async Task<LoadSnapshot?> WithCpuAsync(
        ServiceSpec spec, LoadSnapshot? observed, List<ReplicaView> mine, int ready, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (spec.Autoscaling?.Metrics.Any(m => m.Kind == MetricKind.CpuPercent) != true)
        {
            cpu.Forget(spec.Name);
            return observed;
        }

        var average = await cpu.AverageAsync(spec.Name, [.. mine.Where(r => r.Health.Passing)], cancellationToken);
        return average is null ? observed
            : observed is null ? new LoadSnapshot(now, ready, CpuPercent: average)
            : observed with { CpuPercent = average };
    }

    /// <summary>
    /// The first autoscaled service whose load now asks for more replicas than its last decision saw (see
    /// <see cref="ScaleUpTrigger"/>), or null. Reads the load source only (no Docker stats): cheap enough to run
    /// several times a second between passes. Callers hold the pass lock: this reads the histories a pass writes.
    /// </summary>
    public async Task<LoadRise?> FirstLoadRiseAsync(IReadOnlyList<ServiceSpec> specs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var spec in specs)
        {
            if (spec.Autoscaling is not { } autoscaling || !_histories.TryGetValue(spec.Name, out var history))
            {
                continue;
            }

            var ready = _ready.GetValueOrDefault(spec.Name);
            if (await load.ReadAsync(spec.Name, ready, cancellationToken) is { } observed
                && ScaleUpTrigger.Rise(autoscaling, spec.Replicas, history, ready, observed, now) is { } asked)
            {
                return new LoadRise(spec.Name, history.LastDesired ?? 0, asked);
            }
        }

        return null;
    }

    /// <summary>The latest decision of a service, for its status.</summary>
    public ScaleDecision? LastDecision(string service) => _last.GetValueOrDefault(service);

    private void Record(string service, ScaleDecision decision, DateTimeOffset now)
    {
        var previous = _last.GetValueOrDefault(service);
        _last[service] = decision;
        if (previous is not null && previous.Desired == decision.Desired && previous.Rule == decision.Rule)
        {
            return; // unchanged: the log keeps changes, not every pass
        }

        var inputs = string.Join(", ", decision.Inputs.Select(kv => $"{kv.Key}={kv.Value:0.##}"));
        decisions.Record(new Decision(now, service, "scale", null, $"{decision.Reason} [rule {decision.Rule}; {inputs}]", $"desired {decision.Desired} (from {decision.Current})"));
    }
}

using System.Text.Json;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Metrics;

/// <summary>Rollout progress and weights.</summary>
public sealed partial class ScalerMetrics
{
    /// <summary>
    /// A service's latest rollout (null: it never had one) and the share of its requests each version gets. The series
    /// of a version no longer weighted are deleted.
    /// </summary>
    /// <param name="service">The service.</param>
    /// <param name="rollout">Its latest rollout, finished or not.</param>
    /// <param name="steps">How many steps the rollout has.</param>
    /// <param name="weights">Percent per version (summing to 100).</param>
    public void Rollout(string service, RolloutState? rollout, int steps, IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var series = new RolloutSeries(rollout is null ? null : PhaseName(rollout.Phase), rollout is null ? 0 : StepOf(rollout, steps), steps, weights);
        lock (_lock)
        {
            var last = _rollouts.GetValueOrDefault(service);
            if (last == series)
            {
                return;
            }

            if (last is not null && (last.Phase != series.Phase || series.Phase is null))
            {
                RemoveRollout(service, last);
            }

            if (series.Phase is { } phase)
            {
                _rolloutStep.WithLabels(service).Set(series.Step);
                _rolloutSteps.WithLabels(service).Set(steps);
                _rolloutPhase.WithLabels(service, phase).Set(1);
            }

            foreach (var (version, percent) in weights)
            {
                _weight.WithLabels(service, version).Set(percent);
            }

            foreach (var gone in (last?.Weights.Keys ?? []).Where(v => !weights.ContainsKey(v)))
            {
                _weight.RemoveLabelled(service, gone);
            }

            _rollouts[service] = series;
        }
    }

    /// <summary>Counts a rollout that starts rolling back.</summary>
    public void RolledBack(string service) => _rollbacks.WithLabels(service).Inc();

    /// <summary>"rolling_back" for <see cref="RolloutPhase.RollingBack"/>: the label values the docs and alerts use.</summary>
    public static string PhaseName(RolloutPhase phase) => JsonNamingPolicy.SnakeCaseLower.ConvertName(phase.ToString());

    private static int StepOf(RolloutState rollout, int steps) =>
        rollout.Phase == RolloutPhase.Succeeded ? steps : Math.Min(rollout.StepIndex, steps);

    private void RemoveRollout(string service, RolloutSeries last)
    {
        if (last.Phase is { } phase)
        {
            _rolloutPhase.RemoveLabelled(service, phase);
            _rolloutStep.RemoveLabelled(service);
            _rolloutSteps.RemoveLabelled(service);
        }
    }

    private sealed record RolloutSeries(string? Phase, int Step, int Steps, IReadOnlyDictionary<string, double> Weights)
    {
        public bool Equals(RolloutSeries? other) =>
            other is not null && Phase == other.Phase && Step == other.Step && Steps == other.Steps
            && Weights.Count == other.Weights.Count && Weights.All(w => other.Weights.TryGetValue(w.Key, out var p) && p == w.Value);

        public override int GetHashCode() => HashCode.Combine(Phase, Step, Steps, Weights.Count);
    }
}

namespace Bollard.Scaler.Rollouts;

/// <summary>
/// Canary: the new version gets a per-request share of traffic that grows step by step. Its replica count follows
/// the weight and the load (max(1, ceil(total x weight)) while it has weight); the stable version keeps enough for
/// its share (ceil(total x stable weight)). A weight moves only once the version gaining traffic has the replicas
/// ready to take it; the version losing traffic shrinks only after the weight moved.
/// </summary>
internal static class CanaryRollout
{
    public static RolloutEngine.Transition Transition(RolloutState state, CanarySpec spec, RolloutObservation seen, DateTimeOffset now, AnalysisCheck? check)
    {
        var total = seen.DesiredTotal;
        switch (state.Phase)
        {
            case RolloutPhase.Promoting:
                return seen.NewReady >= total
                    ? Move(state with { Phase = RolloutPhase.Succeeded, CanaryWeight = Weights.Total, NextCheckAt = null, StepStartedAt = now },
                        $"promoted: {seen.NewReady} of {total} new replicas ready, 100% of traffic to {state.NewVersion}; {state.StableVersion} scales away")
                    : new(state, $"promoting: waiting for {seen.NewReady} of {total} new replicas to be ready before moving all traffic");
            case RolloutPhase.Progressing or RolloutPhase.Analyzing:
                break;
            case RolloutPhase.Paused when state.StepIndex < spec.Steps.Count && spec.Steps[state.StepIndex] is PauseStep { Duration: null }:
                return new(state, $"paused at step {state.StepIndex + 1} of {spec.Steps.Count} until resumed or promoted, weight {Weights.Percent(state.CanaryWeight)}");
            case RolloutPhase.Paused:
                return new(state, $"paused by hand at step {state.StepIndex + 1} of {spec.Steps.Count}, weight {Weights.Percent(state.CanaryWeight)}");
            default:
                return BackwardRollout.Transition(state, seen);
        }

        if (state.StepIndex >= spec.Steps.Count)
        {
            return Move(state with { Phase = RolloutPhase.Promoting, StepStartedAt = now }, $"all {spec.Steps.Count} steps done; promoting");
        }

        var at = $"step {state.StepIndex + 1} of {spec.Steps.Count} ({spec.Steps[state.StepIndex]})";
        switch (spec.Steps[state.StepIndex])
        {
            case SetWeightStep { PerMille: var weight }:
                var newNeeded = NewReplicas(total, weight);
                var stableNeeded = weight < state.CanaryWeight ? Weights.ReplicasFor(total, Weights.Total - weight) : 0;
                if (seen.NewReady < newNeeded || seen.StableReady < stableNeeded)
                {
                    return new(state, $"{at}: waiting for {Count(newNeeded, "new replica")} ready (have {seen.NewReady}) and {stableNeeded} stable (have {seen.StableReady}) before moving the weight");
                }

                var weighted = state with { CanaryWeight = weight, NextCheckAt = weight > 0 ? now + state.Spec.Analysis.Interval : null };
                return Move(NextStep(weighted, spec, now), $"{at}: new version's weight {Weights.Percent(state.CanaryWeight)} -> {Weights.Percent(weight)} ({Count(seen.NewReady, "new replica")} ready)");
            case PauseStep { Duration: { } duration } when now - state.StepStartedAt >= duration:
                return Move(NextStep(state, spec, now), $"{at}: pause over");
            case PauseStep { Duration: { } duration }:
                return new(state, $"{at}: {Specs.Durations.Format(state.StepStartedAt + duration - now)} left at weight {Weights.Percent(state.CanaryWeight)}");
            case PauseStep:
                return Move(state with { Phase = RolloutPhase.Paused }, $"{at}: paused until resumed or promoted");
            default:
                return check?.Result.Verdict == AnalysisVerdict.Pass
                    ? Move(NextStep(state, spec, now), $"{at}: passed")
                    : new(state, $"{at}: waiting for a passing check at weight {Weights.Percent(state.CanaryWeight)}");
        }
    }

    public static RolloutEngine.ReplicaTargets Targets(RolloutState state, CanarySpec spec, RolloutObservation seen)
    {
        var total = seen.DesiredTotal;
        var weight = state.CanaryWeight;
        if (state.Phase == RolloutPhase.Succeeded)
        {
            return new(Weights.Total, 0, total);
        }

        if (state.Phase == RolloutPhase.Promoting)
        {
            return new(weight, StableReplicas(total, weight), total);
        }

        // While a weight change is pending (paused or not), both sides are sized for whichever weight needs more of them,
        // so replicas starting for the next step are not torn down and the side losing traffic keeps its share.
        var pending = state.StepIndex < spec.Steps.Count && spec.Steps[state.StepIndex] is SetWeightStep step ? step.PerMille : weight;
        return new(weight, StableReplicas(total, Math.Min(weight, pending)), NewReplicas(total, Math.Max(weight, pending)));
    }

    /// <summary>The phase a canary is in when it arrives at step <paramref name="index"/>.</summary>
    public static RolloutPhase PhaseAt(CanarySpec spec, int index) =>
        index >= spec.Steps.Count ? RolloutPhase.Promoting
        : spec.Steps[index] switch
        {
            AnalysisStep => RolloutPhase.Analyzing,
            PauseStep { Duration: null } => RolloutPhase.Paused,
            _ => RolloutPhase.Progressing,
        };

    public static RolloutState NextStep(RolloutState state, CanarySpec spec, DateTimeOffset now) =>
        state with { StepIndex = state.StepIndex + 1, Phase = PhaseAt(spec, state.StepIndex + 1), StepStartedAt = now };

    private static int NewReplicas(int total, int weight) => weight > 0 ? Math.Max(1, Weights.ReplicasFor(total, weight)) : 0;

    private static int StableReplicas(int total, int newWeight) => Weights.ReplicasFor(total, Weights.Total - newWeight);

    private static RolloutEngine.Transition Move(RolloutState state, string reason) => new(state with { Reason = reason }, reason);

    private static string Count(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";
}

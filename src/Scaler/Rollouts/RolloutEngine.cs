namespace Bollard.Scaler.Rollouts;

/// <summary>
/// The rollout state machine: a pure function of the stored state, what the controller observes and the time.
/// Level-triggered like the reconcile planner: calling <see cref="Advance"/> twice with the same inputs gives the
/// same step, and replica counts and weights are recomputed from scratch each pass (so a scale-out by the autoscaler
/// is followed at once, and a restart loses nothing).
/// </summary>
/// <remarks>
/// Invariants of every step, whatever the strategy and inputs:
/// - the weights are within 0..1000 and sum to 1000 (<see cref="RolloutStep.StableWeight"/> is derived);
/// - the new version's weight is 0 while it has no ready replica;
/// - replica counts are never negative;
/// - at most one transition per pass, so every transition has its own reason in the decision log.
/// </remarks>
public static partial class RolloutEngine
{
    /// <summary>A new rollout from <paramref name="stableVersion"/> to <paramref name="newVersion"/>, at its first step.</summary>
    public static RolloutState Start(string service, string stableVersion, string newVersion, RolloutSpec spec, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentException.ThrowIfNullOrEmpty(stableVersion);
        ArgumentException.ThrowIfNullOrEmpty(newVersion);
        ArgumentNullException.ThrowIfNull(spec);
        var state = new RolloutState
        {
            Service = service,
            StableVersion = stableVersion,
            NewVersion = newVersion,
            Spec = spec,
            StartedAt = now,
            StepStartedAt = now,
        };
        return spec.Strategy is CanarySpec canary
            ? state with { Phase = CanaryRollout.PhaseAt(canary, 0), Reason = $"started: canary of {newVersion} in {canary.Steps.Count} steps" }
            : state with { Reason = $"started: {StrategyName(spec.Strategy)} update from {stableVersion} to {newVersion}" };
    }

    public static RolloutStep Advance(RolloutState state, RolloutObservation observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(observation);
        var seen = observation with
        {
            StableReady = Math.Max(0, observation.StableReady),
            NewReady = Math.Max(0, observation.NewReady),
            DesiredTotal = Math.Max(0, observation.DesiredTotal),
        };

        var (next, reason, check) = AnalysisSchedule.Run(state, seen, now);
        if (next.Phase == state.Phase && FailedStartRule.Check(next, seen, now) is { } failedStarts)
        {
            (next, reason) = (failedStarts, reason is null ? failedStarts.Reason : $"{reason}; {failedStarts.Reason}");
        }
        else if (next.Phase == state.Phase)
        {
            // No rollback from the check: the strategy may make its own transition (an analysis step consumes a pass).
            var transition = state.Spec.Strategy switch
            {
                CanarySpec canary => CanaryRollout.Transition(next, canary, seen, now, check),
                BlueGreenSpec blueGreen => BlueGreenRollout.Transition(next, blueGreen, seen, now, check),
                RollingSpec => RollingRollout.Transition(next, seen, now),
                _ => throw new InvalidOperationException($"unknown rollout strategy {state.Spec.Strategy}"),
            };
            next = transition.State;
            reason = reason is null ? transition.Reason : $"{reason}; {transition.Reason}";
        }

        return StepFor(next, seen, now, reason!, check);
    }

    private static RolloutStep StepFor(RolloutState state, RolloutObservation seen, DateTimeOffset now, string reason, AnalysisCheck? check)
    {
        // Going back, the new version has no weight at once, but its ready replicas go only once the stable set is
        // whole again: if the stable version has nothing to serve with, the balancer falls back to them instead of
        // having no replica at all (launch before terminate, as for any removal).
        var targets = state.Phase.IsBackward() && state.Spec.Strategy is not RollingSpec
            ? new ReplicaTargets(0, seen.DesiredTotal, seen.StableReady >= seen.DesiredTotal ? 0 : seen.NewReady)
            : state.Spec.Strategy switch
            {
                CanarySpec canary => CanaryRollout.Targets(state, canary, seen),
                BlueGreenSpec blueGreen => BlueGreenRollout.Targets(state, seen, now),
                RollingSpec rolling => RollingRollout.Targets(state, rolling, seen),
                _ => throw new InvalidOperationException($"unknown rollout strategy {state.Spec.Strategy}"),
            };

        // Never send requests to a version without a ready replica, whatever the state says.
        var weight = seen.NewReady == 0 ? 0 : Math.Clamp(targets.NewWeight, 0, Weights.Total);
        var stable = Math.Max(0, targets.StableReplicas);
        var fresh = Math.Max(0, targets.NewReplicas);
        var removable = state.Phase == RolloutPhase.Succeeded && stable == 0 ? state.StableVersion
            : state.Phase.IsBackward() && fresh == 0 ? state.NewVersion
            : null;
        return new RolloutStep(state, weight, stable, fresh, removable, reason, check);
    }

    internal static string StrategyName(StrategySpec strategy) => strategy switch
    {
        CanarySpec => "canary",
        BlueGreenSpec => "blue/green",
        _ => "rolling",
    };

    /// <summary>The next state of one pass, and why (also when it did not change: what it waits for).</summary>
    internal readonly record struct Transition(RolloutState State, string Reason);

    /// <summary>What a state asks of the controller for the observed replicas.</summary>
    internal readonly record struct ReplicaTargets(int NewWeight, int StableReplicas, int NewReplicas);
}

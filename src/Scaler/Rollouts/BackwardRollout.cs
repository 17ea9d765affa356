namespace Bollard.Scaler.Rollouts;

/// <summary>
/// The end states shared by canary and blue/green: after success nothing moves; after a rollback the new version has
/// no traffic and no replicas, and the rollback is finished once its replicas are gone and the stable set is whole.
/// </summary>
internal static class BackwardRollout
{
    public static RolloutEngine.Transition Transition(RolloutState state, RolloutObservation seen)
    {
        if (state.Phase != RolloutPhase.RollingBack)
        {
            return new(state, $"rollout {Describe(state.Phase)}: {state.Reason}");
        }

        if (seen.NewReady == 0 && seen.StableReady >= seen.DesiredTotal)
        {
            var reason = $"rolled back: {state.NewVersion} removed, {seen.StableReady} of {seen.DesiredTotal} replicas of {state.StableVersion} ready";
            return new(state with { Phase = RolloutPhase.RolledBack, Reason = reason }, reason);
        }

        return new(state, $"rolling back: {seen.NewReady} replicas of {state.NewVersion} still ready (draining), {seen.StableReady} of {seen.DesiredTotal} of {state.StableVersion} ready");
    }

    public static string Describe(RolloutPhase phase) => phase switch
    {
        RolloutPhase.Succeeded => "succeeded",
        RolloutPhase.RolledBack => "rolled back",
        RolloutPhase.Aborted => "aborted",
        RolloutPhase.RollingBack => "rolling back",
        RolloutPhase.Paused => "paused",
        RolloutPhase.Promoting => "being promoted",
        RolloutPhase.Analyzing => "analyzing",
        _ => "progressing",
    };
}

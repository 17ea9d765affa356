namespace Bollard.Scaler.Rollouts;

public static partial class RolloutEngine
{
    /// <summary>
    /// Applies an operator's command. A command only changes the state; the next <see cref="Advance"/> turns it into
    /// replica counts and weights (an abort or undo puts the new version's weight to 0 on that very pass).
    /// A command that does not fit the phase is refused with why, and the state is unchanged.
    /// </summary>
    public static RolloutCommandResult Apply(RolloutState state, RolloutCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var verb = command.ToString().ToLowerInvariant();
        if (command == RolloutCommand.Undo)
        {
            return Undo(state, now);
        }

        if (state.Phase.IsFinished() || state.Phase == RolloutPhase.RollingBack)
        {
            var already = state.Phase == RolloutPhase.RollingBack ? "is already rolling back" : $"already {BackwardRollout.Describe(state.Phase)}";
            return RolloutCommandResult.Refuse(state, $"cannot {verb}: rollout {already}");
        }

        return command switch
        {
            RolloutCommand.Pause => Pause(state),
            RolloutCommand.Resume => Resume(state, now),
            RolloutCommand.Promote => Promote(state, now),
            RolloutCommand.Abort => RolloutCommandResult.Accept(
                state with { Phase = RolloutPhase.Aborted, CanaryWeight = 0, NextCheckAt = null, StepStartedAt = now },
                $"aborted by hand while {BackwardRollout.Describe(state.Phase)}: {state.NewVersion} gets no more traffic and goes"),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown rollout command"),
        };
    }

    private static RolloutCommandResult Pause(RolloutState state) => state.Phase switch
    {
        RolloutPhase.Paused => RolloutCommandResult.Refuse(state, "cannot pause: rollout is already paused"),
        RolloutPhase.Promoting => RolloutCommandResult.Refuse(state, "cannot pause: rollout is being promoted (abort it to stop it)"),
        _ => RolloutCommandResult.Accept(state with { Phase = RolloutPhase.Paused }, $"paused by hand ({Where(state)})"),
    };

    private static RolloutCommandResult Resume(RolloutState state, DateTimeOffset now)
    {
        if (state.Phase != RolloutPhase.Paused)
        {
            return RolloutCommandResult.Refuse(state, $"cannot resume: rollout is not paused (it is {BackwardRollout.Describe(state.Phase)})");
        }

        if (state.Spec.Strategy is not CanarySpec canary)
        {
            return RolloutCommandResult.Accept(state with { Phase = RolloutPhase.Progressing }, "resumed by hand");
        }

        // Resuming at a "pause until promoted" step completes it; elsewhere the step carries on where it was
        // (a timed pause keeps its start, so time spent paused by hand counts towards it).
        return canary.Steps.Count > state.StepIndex && canary.Steps[state.StepIndex] is PauseStep { Duration: null }
            ? RolloutCommandResult.Accept(CanaryRollout.NextStep(state, canary, now), $"resumed by hand: {Where(state)} done")
            : RolloutCommandResult.Accept(state with { Phase = CanaryRollout.PhaseAt(canary, state.StepIndex) is RolloutPhase.Analyzing ? RolloutPhase.Analyzing : RolloutPhase.Progressing }, $"resumed by hand at {Where(state)}");
    }

    private static RolloutCommandResult Promote(RolloutState state, DateTimeOffset now)
    {
        if (state.Phase == RolloutPhase.Promoting)
        {
            return RolloutCommandResult.Refuse(state, "cannot promote: rollout is already being promoted");
        }

        var steps = state.Spec.Strategy is CanarySpec canary ? canary.Steps.Count : state.StepIndex;
        return RolloutCommandResult.Accept(
            state with { Phase = RolloutPhase.Promoting, StepIndex = steps, StepStartedAt = now },
            $"promoted by hand at {Where(state)}: remaining steps skipped, all traffic moves to {state.NewVersion} once its replicas are ready");
    }

    private static RolloutCommandResult Undo(RolloutState state, DateTimeOffset now)
    {
        if (state.Phase != RolloutPhase.Succeeded)
        {
            var why = state.Phase.IsFinished() || state.Phase == RolloutPhase.RollingBack
                ? $"rollout {BackwardRollout.Describe(state.Phase)}, {state.NewVersion} is already going"
                : "rollout has not finished (abort it instead)";
            return RolloutCommandResult.Refuse(state, $"cannot undo: {why}");
        }

        if (state.Spec.Strategy is not BlueGreenSpec)
        {
            return RolloutCommandResult.Refuse(state, $"cannot undo: a {StrategyName(state.Spec.Strategy)} rollout keeps no old set to switch back to (start a rollout to {state.StableVersion} instead)");
        }

        if (now >= state.RollbackWindowEnd)
        {
            return RolloutCommandResult.Refuse(state, $"cannot undo: the rollback window ended at {state.RollbackWindowEnd:u} and {state.StableVersion} was removed (start a rollout to it instead)");
        }

        return RolloutCommandResult.Accept(
            state with { Phase = RolloutPhase.RollingBack, CanaryWeight = 0, NextCheckAt = null, StepStartedAt = now },
            $"undone by hand: all traffic back to {state.StableVersion} (kept warm until {state.RollbackWindowEnd:u}); {state.NewVersion} goes");
    }

    private static string Where(RolloutState state) => state.Spec.Strategy is CanarySpec canary
        ? $"step {Math.Min(state.StepIndex + 1, canary.Steps.Count)} of {canary.Steps.Count}, weight {Weights.Percent(state.CanaryWeight)}"
        : BackwardRollout.Describe(state.Phase);
}

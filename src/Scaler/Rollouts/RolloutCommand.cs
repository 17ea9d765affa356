using System.Text.Json.Serialization;

namespace Bollard.Scaler.Rollouts;

/// <summary>What an operator can ask of a running rollout.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutCommand>))]
public enum RolloutCommand
{
    /// <summary>Hold at the current step (analysis keeps running and can still roll back).</summary>
    Pause,

    /// <summary>Continue a paused rollout; at a <c>pause: {}</c> step, go on to the next step.</summary>
    Resume,

    /// <summary>Skip the remaining steps (and blue/green's verification): move all traffic once the new set is ready.</summary>
    Promote,

    /// <summary>Stop: the new version's weight goes to 0 at once, then its containers go.</summary>
    Abort,

    /// <summary>Blue/green, after the switch and within the rollback window: switch back to the old set.</summary>
    Undo,
}

/// <summary>The answer to a command: accepted with the new state, or refused with why (state unchanged).</summary>
public sealed record RolloutCommandResult(bool Accepted, RolloutState State, string Reason)
{
    internal static RolloutCommandResult Accept(RolloutState state, string reason) => new(true, state with { Reason = reason }, reason);

    internal static RolloutCommandResult Refuse(RolloutState state, string reason) => new(false, state, reason);
}

using System.Text.Json.Serialization;

namespace Bollard.Scaler.Admin;

/// <summary>Starts a rollout: to a new image (the rest of the spec unchanged) or to a whole new spec.</summary>
/// <param name="Image">The new image.</param>
/// <param name="Spec">Or a full YAML spec of the service.</param>
public sealed record RolloutRequest(string? Image, SpecFile? Spec);

[JsonConverter(typeof(JsonStringEnumConverter<RolloutCommand>))]
public enum RolloutCommand
{
    Pause,
    Resume,
    Promote,
    Abort,
    Undo,
}

[JsonConverter(typeof(JsonStringEnumConverter<RolloutPhase>))]
public enum RolloutPhase
{
    Progressing,
    Paused,
    Succeeded,
    Aborted,
    RolledBack,
}

/// <summary>Where a service's rollout is.</summary>
/// <param name="Service">The service.</param>
/// <param name="Phase">Progressing or paused while it runs; succeeded, aborted or rolled back once finished.</param>
/// <param name="Strategy">rolling, canary or blue-green.</param>
/// <param name="FromVersion">The stable version.</param>
/// <param name="ToVersion">The new version.</param>
/// <param name="Step">The current step (1-based).</param>
/// <param name="TotalSteps">How many steps the strategy has.</param>
/// <param name="Weights">The traffic split now.</param>
/// <param name="Message">What it is doing or waiting for, or why it ended.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record RolloutStatus(
    string Service,
    RolloutPhase Phase,
    string Strategy,
    string FromVersion,
    string ToVersion,
    int Step,
    int TotalSteps,
    IReadOnlyList<VersionWeight> Weights,
    string? Message,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt)
{
    public bool Finished => Phase is RolloutPhase.Succeeded or RolloutPhase.Aborted or RolloutPhase.RolledBack;
}

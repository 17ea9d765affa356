using Bollard.Scaler.Admin;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// A rollout command (pause, resume, promote, abort, undo) sent through an agent that is not the controller, as kept
/// under <c>requests/&lt;id&gt;</c> until answered: written by the sending agent (held by its session), claimed by the
/// controller with check-and-set (<see cref="ClaimedBy"/>), then answered (<see cref="Answer"/>) and deleted by the sender.
/// It carries no credential: the sender authenticated its caller with its own admin token.
/// </summary>
/// <param name="Service">The service whose rollout it commands.</param>
/// <param name="Command">What to do.</param>
/// <param name="Actor">Who asked (audit), and through which agent.</param>
public sealed record ControllerRequest(string Service, RolloutCommand Command, string Actor)
{
    /// <summary>The controller that took it; null while it waits.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>The controller's answer; null until it ran the command.</summary>
    public ControllerAnswer? Answer { get; init; }

    public bool Pending => ClaimedBy is null && Answer is null;
}

/// <summary>What the controller answered: the rollout's status, or why the command was refused.</summary>
/// <param name="Status">The rollout after the command; null when refused.</param>
/// <param name="Error">Why it was refused (the status code the caller gets); null when done.</param>
/// <param name="Message">The refusal, as the controller's control plane said it.</param>
public sealed record ControllerAnswer(RolloutStatus? Status, ControlPlaneError? Error, string? Message);

using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>One service as it is now. A field the control plane cannot tell yet is null, never a guess.</summary>
/// <param name="Name">The service.</param>
/// <param name="Version">The desired version.</param>
/// <param name="Image">The desired image.</param>
/// <param name="Replicas">The desired replica count or range ("2..10").</param>
/// <param name="HealthyReplicas">Healthy replicas in the catalog (all versions, all zones); null when the catalog cannot be read.</param>
/// <param name="ReplicaGroups">Healthy replicas per zone and version.</param>
/// <param name="Weights">The traffic split per version; null when not known.</param>
/// <param name="Health">healthy (all desired replicas healthy), degraded, down, or unknown.</param>
/// <param name="ExpectedAvailability">1 - product over zones of (1 - zone availability); null when not computed.</param>
/// <param name="Route">How the balancer reaches it.</param>
/// <param name="Rollout">The active rollout, if any.</param>
/// <param name="PinnedImage">What the image was pinned to when applied (a registry digest or a local image id); the
/// containers of the desired version run it. Null when not pinned yet.</param>
/// <param name="MissingImages">Reachable hosts lacking the image of a version the service runs: being pulled there, or
/// not obtainable there (the version is then not placed on that host). Empty when every host has it (or before the
/// first reconcile pass of this agent, or on an agent that is not the cluster's controller).</param>
/// <param name="ServingVersion">The version that serves when no rollout moves traffic (the stable one): differs from
/// <paramref name="Version"/> while a rollout runs, and after the desired version was rolled back or aborted.</param>
/// <param name="ServingImage">The image of <paramref name="ServingVersion"/> (its pin when it has one).</param>
/// <param name="RolledBack">Why the desired version does not serve: it was rolled back or aborted (null otherwise).</param>
public sealed record ServiceStatus(
    string Name,
    string Version,
    string Image,
    string Replicas,
    int? HealthyReplicas,
    IReadOnlyList<ReplicaGroup> ReplicaGroups,
    IReadOnlyList<VersionWeight>? Weights,
    string Health,
    double? ExpectedAvailability,
    RouteSpec? Route,
    RolloutStatus? Rollout,
    string? PinnedImage = null,
    IReadOnlyList<HostImageStatus>? MissingImages = null,
    string? ServingVersion = null,
    string? ServingImage = null,
    string? RolledBack = null)
{
    /// <summary>
    /// The last replicas removed for failing (newest first, at most <see cref="FailureStatus.Shown"/>), from the decision
    /// log: how each ended and its last log lines. Only in the status of one service (null in the list of all).
    /// </summary>
    public IReadOnlyList<FailureStatus>? RecentFailures { get; init; }

    /// <summary>Versions whose replicas keep failing at start, and when the next may start (the controller's own knowledge:
    /// empty on an agent that is not the cluster's controller, and after a restart).</summary>
    public IReadOnlyList<Reconcile.CrashLoop>? CrashLoops { get; init; }
}

/// <summary>A replica removed for failing.</summary>
/// <param name="At">When it was found failed.</param>
/// <param name="Replica">Its container's short id.</param>
/// <param name="What">Its version, host and how it ended, then its last log lines (masked).</param>
/// <param name="Outcome">What was done (replaced, and the crash back-off's wait).</param>
public sealed record FailureStatus(DateTimeOffset At, string Replica, string What, string Outcome)
{
    public const int Shown = 5;
}

/// <summary>A host lacking the image of one of the service's versions.</summary>
/// <param name="Host">The host.</param>
/// <param name="Version">The version whose image it lacks.</param>
/// <param name="Image">The image as pinned.</param>
/// <param name="State"><c>pulling</c>, or <c>unobtainable</c> (the version is not placed there).</param>
/// <param name="Why">In words: what the host lacks and what to do about it.</param>
public sealed record HostImageStatus(string Host, string Version, string Image, string State, string Why);

/// <summary>Healthy replicas of one version in one zone.</summary>
public sealed record ReplicaGroup(string Zone, string Version, int Healthy);

using System.Collections.Immutable;

namespace Bollard.Scaler.Reconcile;

/// <summary>What one pass decided: the deployment steps, the actions, and per service the counts it saw.</summary>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileAction> Actions, IReadOnlyList<ServiceCount> Counts)
{
    public bool IsEmpty => Actions.Count == 0;

    /// <summary>Each service's deployment step (record, decisions, weights), applied before the actions.</summary>
    public IReadOnlyList<Deployments.DeploymentStep> Deployments { get; init; } = [];

    /// <summary>Reachable hosts that lack the image of a targeted version and are pulling it, or cannot get it.</summary>
    public IReadOnlyList<MissingImage> MissingImages { get; init; } = [];
}

/// <summary>A reachable host lacking the image of a version the plan targets, and what is done about it.</summary>
/// <param name="Service">The service.</param>
/// <param name="Version">The version whose image it is.</param>
/// <param name="Host">The host.</param>
/// <param name="Image">The image as pinned.</param>
/// <param name="State">Being pulled (replicas wait for it), or unobtainable (the version is not placed there).</param>
/// <param name="Why">In words.</param>
public sealed record MissingImage(string Service, string Version, string Host, string Image, Placement.ImageState State, string Why);

/// <summary>Desired and observed replicas of one service (all versions), in total and per zone.</summary>
/// <param name="Desired">The target total over available hosts.</param>
/// <param name="Live">Running replicas of targeted versions that have not failed.</param>
/// <param name="Healthy">Live replicas whose last check passed.</param>
/// <param name="DesiredPerZone">The placement's target per zone.</param>
/// <param name="HealthyPerZone">Healthy replicas per zone.</param>
public sealed record ServiceCount(
    string Service,
    int Desired,
    int Live,
    int Healthy,
    ImmutableSortedDictionary<string, int> DesiredPerZone,
    ImmutableSortedDictionary<string, int> HealthyPerZone);

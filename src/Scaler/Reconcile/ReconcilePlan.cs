using System.Collections.Immutable;

namespace Bollard.Scaler.Reconcile;

/// <summary>What one pass decided: the deployment steps, the actions, and per service the counts it saw.</summary>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileAction> Actions, IReadOnlyList<ServiceCount> Counts)
{
    public bool IsEmpty => Actions.Count == 0;

    /// <summary>Each service's deployment step (record, decisions, weights), applied before the actions.</summary>
    public IReadOnlyList<Deployments.DeploymentStep> Deployments { get; init; } = [];
}

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

namespace Bollard.Scaler.Reconcile;

/// <summary>What one pass decided: the actions, and per service the desired and live replica counts it saw.</summary>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileAction> Actions, IReadOnlyList<ServiceCount> Counts)
{
    public bool IsEmpty => Actions.Count == 0;
}

/// <summary>Desired and live (running, current version, not failed) replicas of one service.</summary>
public sealed record ServiceCount(string Service, int Desired, int Live, int Healthy);

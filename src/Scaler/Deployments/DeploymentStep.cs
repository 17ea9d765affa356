using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// What one pass decided for one service's deployment, as a value: the record to save, the decisions to log, the
/// weights to publish and what to run. Nothing is saved, logged or published until the pass applies it
/// (<see cref="DeploymentCoordinator.ApplyAsync"/>): the record first, so a step whose save fails is neither
/// published nor logged.
/// </summary>
/// <param name="Service">The service.</param>
/// <param name="From">The record this step was decided from, with its store version (null: none was stored). The
/// save is a check-and-set on that version: a record changed meanwhile (a rollout command, another controller) wins.</param>
/// <param name="Next">The record after this step.</param>
/// <param name="Decisions">Why: recorded once the record is saved.</param>
/// <param name="Weights">The weights to publish, or null when the balancers already have the right ones.</param>
/// <param name="Target">The replicas each version gets this pass.</param>
public sealed record DeploymentStep(
    string Service,
    StoredDeployment? From,
    Deployment Next,
    IReadOnlyList<Decision> Decisions,
    WeightsUpdate? Weights,
    ServiceTarget Target)
{
    /// <summary>Whether the record changed (a save is due).</summary>
    public bool Changes => From?.Record != Next;
}

/// <summary>The per-mille weight of each version to publish, or none (<see cref="Clear"/>: traffic follows the ready replicas).</summary>
public sealed record WeightsUpdate(IReadOnlyDictionary<string, int>? PerMille)
{
    public static readonly WeightsUpdate Clear = new((IReadOnlyDictionary<string, int>?)null);
}

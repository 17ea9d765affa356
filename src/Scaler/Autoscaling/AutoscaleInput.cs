using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>Everything one autoscaling decision is made from. Nothing else: no clock, no I/O.</summary>
/// <param name="Spec">The autoscaling spec; null means a fixed count (<see cref="ReplicaRange.Min"/>).</param>
/// <param name="Range">The replica range the count stays within.</param>
/// <param name="Current">Live replicas of the service, all versions, including those still warming up.</param>
/// <param name="Ready">Live replicas passing their health check.</param>
/// <param name="Load">The latest observation of the service's load; null when there is none.</param>
/// <param name="Now">The decision's clock reading.</param>
/// <param name="StalenessLimit">An observation older than this counts as missing.</param>
/// <remarks>
/// The count is the service's total, version-agnostic: during a rollout the caller passes every version's replicas
/// and load together, and a later step splits the total across versions. So scaling never fights a rollout.
/// </remarks>
public sealed record AutoscaleInput(
    AutoscalingSpec? Spec,
    ReplicaRange Range,
    int Current,
    int Ready,
    LoadSnapshot? Load,
    DateTimeOffset Now,
    TimeSpan StalenessLimit)
{
    /// <summary>A default for <see cref="StalenessLimit"/>: two 15 s sync periods.</summary>
    public static readonly TimeSpan DefaultStalenessLimit = TimeSpan.FromSeconds(30);

    /// <summary>The observation when it is present and not older than <see cref="StalenessLimit"/>, else null.</summary>
    public LoadSnapshot? FreshLoad => Load is { } load && Now - load.ObservedAt <= StalenessLimit ? load : null;
}

using System.Text.Json.Serialization;

namespace Bollard.Scaler.Rollouts;

/// <summary>
/// How a service moves from one version to the next (YAML <c>rollout:</c>). Copied into the
/// <see cref="RolloutState"/> when a rollout starts, so editing the spec never changes a rollout already running.
/// </summary>
public sealed record RolloutSpec
{
    /// <summary>A rolling update with the default surge; what a spec without a <c>rollout:</c> block gets.</summary>
    public static RolloutSpec Default { get; } = new();

    public StrategySpec Strategy { get; init; } = new RollingSpec();

    /// <summary>How canary and blue/green versions are judged; unused by a rolling update.</summary>
    public AnalysisSpec Analysis { get; init; } = new();

    /// <summary>
    /// Any strategy: this many failed starts in a row of the new version (see the service's <c>crashBackoff</c>) while
    /// none of its replicas is ready roll it back, whatever the analysis says: a version that cannot start is not
    /// waited for.
    /// </summary>
    public int FailedStartLimit { get; init; } = RolloutDefaults.FailedStartLimit;
}

/// <summary>One of <see cref="RollingSpec"/>, <see cref="CanarySpec"/> or <see cref="BlueGreenSpec"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RollingSpec), "rolling")]
[JsonDerivedType(typeof(CanarySpec), "canary")]
[JsonDerivedType(typeof(BlueGreenSpec), "blueGreen")]
public abstract record StrategySpec;

/// <summary>Replace replicas in batches; traffic follows the ready replicas of each version.</summary>
/// <param name="MaxSurge">At most this many replicas above the desired count while replacing.</param>
/// <param name="MaxUnavailable">At most this many below the desired count may be not ready. Both 0 would never
/// progress, so the parser rejects it (and the engine then surges by one).</param>
public sealed record RollingSpec(int MaxSurge = RolloutDefaults.MaxSurge, int MaxUnavailable = RolloutDefaults.MaxUnavailable) : StrategySpec;

/// <summary>Move a share of the requests to the new version step by step, judging it all along.</summary>
public sealed record CanarySpec(ValueList<CanaryStep> Steps) : StrategySpec
{
    public CanarySpec()
        : this(RolloutDefaults.CanarySteps)
    {
    }
}

/// <summary>Bring the full new set up, optionally verify it, switch all traffic at once and keep the old set warm.</summary>
/// <param name="RollbackWindow">How long after the switch the old set stays up, so an undo is instant.</param>
/// <param name="Verify">Run the analysis on the new set before the switch. It only sees requests sent to the new set
/// directly (a preview route), since the balancer gives it none before the switch.</param>
public sealed record BlueGreenSpec(TimeSpan RollbackWindow, bool Verify = false) : StrategySpec
{
    public BlueGreenSpec()
        : this(RolloutDefaults.RollbackWindow)
    {
    }
}

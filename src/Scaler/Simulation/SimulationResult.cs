using System.Collections.Immutable;

namespace Bollard.Scaler.Simulation;

/// <summary>The decided count changed at <paramref name="At"/> (time since the trace's start).</summary>
/// <param name="Rps">The load at that moment.</param>
/// <param name="Rule">The autoscaler's rule that set the count (see ScaleRules).</param>
public sealed record ReplicaChange(TimeSpan At, int From, int To, double Rps, string Rule, string Reason);

/// <summary>What a policy did over a trace.</summary>
/// <param name="Service">The service simulated.</param>
/// <param name="Source">The spec file it came from.</param>
/// <param name="Duration">How long the trace lasts.</param>
/// <param name="InitialReplicas">The count at the start (the range's minimum, all ready).</param>
/// <param name="Changes">Every change of the decided count, in order: the replica count over time.</param>
/// <param name="ReplicaSeconds">Replicas running (starting ones too: they cost) integrated over time.</param>
/// <param name="SecondsAboveTarget">Time during which a metric was above its target per ready replica (see <see cref="SloDebt"/>).</param>
/// <param name="RequestsAboveTarget">Requests beyond what the ready replicas take at target.</param>
/// <param name="Passes">Decisions taken (resync passes and load-rise wake-ups).</param>
/// <param name="PeakReplicas">The largest decided count.</param>
public sealed record SimulationResult(
    string Service,
    string Source,
    TimeSpan Duration,
    int InitialReplicas,
    ImmutableArray<ReplicaChange> Changes,
    double ReplicaSeconds,
    double SecondsAboveTarget,
    double RequestsAboveTarget,
    int Passes,
    int PeakReplicas)
{
    public int ScaleEvents => Changes.Length;

    /// <summary>The largest single change of the count, either way (0 when it never changed).</summary>
    public int LargestStep => Changes.Length == 0 ? 0 : Changes.Max(c => Math.Abs(c.To - c.From));

    public double AverageReplicas => Duration > TimeSpan.Zero ? ReplicaSeconds / Duration.TotalSeconds : InitialReplicas;

    /// <summary>The decided count at <paramref name="at"/>.</summary>
    public int ReplicasAt(TimeSpan at) =>
        Changes.LastOrDefault(c => c.At <= at) is { } last ? last.To : InitialReplicas;
}

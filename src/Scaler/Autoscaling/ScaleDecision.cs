using System.Collections.Immutable;

namespace Bollard.Scaler.Autoscaling;

/// <summary>What the autoscaler decided for one service, and why.</summary>
/// <param name="Current">The count the decision starts from (the previous decision, or the live count when there is none).</param>
/// <param name="Desired">The service's total replica count from now on, all versions together.</param>
/// <param name="Rule">The rule that set <paramref name="Desired"/> (see <see cref="ScaleRules"/>).</param>
/// <param name="Reason">The chain of steps with their numbers, for people.</param>
/// <param name="Inputs">The numbers the decision was made from, for the decision log.</param>
public sealed record ScaleDecision(int Current, int Desired, string Rule, string Reason, ImmutableSortedDictionary<string, double> Inputs)
{
    public int Change => Desired - Current;

    public bool Equals(ScaleDecision? other) =>
        other is not null
        && Current == other.Current
        && Desired == other.Desired
        && Rule == other.Rule
        && Reason == other.Reason
        && Inputs.Count == other.Inputs.Count
        && Inputs.All(kv => other.Inputs.TryGetValue(kv.Key, out var value) && value.Equals(kv.Value));

    public override int GetHashCode() => HashCode.Combine(Current, Desired, Rule, Reason, Inputs.Count);
}

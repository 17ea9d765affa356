namespace Bollard.Scaler.Specs;

/// <summary>How many replicas a service may have. A fixed count is Min = Max (YAML <c>replicas: 3</c>); a range
/// (YAML <c>replicas: {min: 2, max: 10}</c>) is what the autoscaler moves within.</summary>
public sealed record ReplicaRange(int Min, int Max)
{
    public static ReplicaRange Fixed(int count) => new(count, count);

    public int Clamp(int count) => Math.Clamp(count, Min, Max);

    public override string ToString() => Min == Max ? $"{Min}" : $"{Min}..{Max}";
}

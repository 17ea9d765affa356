using System.Text.Json.Serialization;

namespace Bollard.Scaler.Rollouts;

/// <summary>One step of a canary: <see cref="SetWeightStep"/>, <see cref="PauseStep"/> or <see cref="AnalysisStep"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SetWeightStep), "setWeight")]
[JsonDerivedType(typeof(PauseStep), "pause")]
[JsonDerivedType(typeof(AnalysisStep), "analysis")]
public abstract record CanaryStep;

/// <summary>Send this share of the requests to the new version, once it has the replicas to take them.</summary>
/// <param name="PerMille">0..1000 (YAML gives percent with one decimal: 2.5 is 25 per mille).</param>
public sealed record SetWeightStep(int PerMille) : CanaryStep
{
    public override string ToString() => $"setWeight {Weights.Percent(PerMille)}";
}

/// <summary>Wait this long, or (null) until resumed or promoted by hand. Analysis keeps running meanwhile.</summary>
public sealed record PauseStep(TimeSpan? Duration) : CanaryStep
{
    public override string ToString() => Duration is { } d ? $"pause {Specs.Durations.Format(d)}" : "pause until promoted";
}

/// <summary>Wait for a passing analysis check (one interval of traffic at the current weight).</summary>
public sealed record AnalysisStep : CanaryStep
{
    public override string ToString() => "analysis";
}

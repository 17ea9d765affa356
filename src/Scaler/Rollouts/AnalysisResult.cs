using System.Text.Json.Serialization;

namespace Bollard.Scaler.Rollouts;

[JsonConverter(typeof(JsonStringEnumConverter<AnalysisVerdict>))]
public enum AnalysisVerdict
{
    /// <summary>Every criterion met.</summary>
    Pass,

    /// <summary>At least one criterion missed; counts towards the failure limit.</summary>
    Fail,

    /// <summary>Not enough data to judge; neither a failure nor a pass.</summary>
    Inconclusive,
}

/// <summary>The verdict of one analysis check, with the numbers it was reached on.</summary>
/// <param name="Reason">The verdict in words, with every number compared (for the decision log).</param>
/// <param name="New">The new version's numbers judged.</param>
/// <param name="Stable">The stable version's numbers it was compared with.</param>
public sealed record AnalysisResult(AnalysisVerdict Verdict, string Reason, TrafficStats? New, TrafficStats? Stable);

/// <summary>One check as the rollout recorded it.</summary>
/// <param name="At">When it ran.</param>
/// <param name="NewWeight">The new version's weight (per mille) during the interval judged.</param>
public sealed record AnalysisCheck(DateTimeOffset At, int NewWeight, AnalysisResult Result);

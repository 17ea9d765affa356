using System.Collections.Immutable;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// A count on its way through the rules: each rule either passes it on untouched or replaces it, naming itself and
/// adding a step to the reason. The last rule that changed it is the one the decision reports.
/// </summary>
internal sealed record Proposal(int Count, string Rule, ImmutableList<string> Steps)
{
    public static Proposal Start(int count, string rule, string step) => new(count, rule, [step]);

    public Proposal Then(int count, string rule, string step) => new(count, rule, Steps.Add(step));

    public string Reason => string.Join("; ", Steps);
}

using System.Globalization;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Specs;

/// <summary>Reads a service's <c>rollout:</c> mapping (shape in src/Scaler/Rollouts/README.md), reporting every problem located.</summary>
internal static class RolloutSpecParser
{
    private static readonly string[] StepKinds = ["setWeight", "pause", "analysis"];

    /// <summary>The rollout spec; <see cref="RolloutSpec.Default"/> (rolling) when the block is absent.</summary>
    public static RolloutSpec Parse(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return RolloutSpec.Default;
        }

        var rolling = yaml.Mapping("rolling");
        var canary = yaml.Mapping("canary");
        var blueGreen = yaml.Mapping("blueGreen");
        var analysisYaml = yaml.Mapping("analysis");
        var analysis = ParseAnalysis(analysisYaml);
        var failedStartLimit = yaml.WholeNumber("failedStartLimit", 1, 1000) ?? RolloutDefaults.FailedStartLimit;
        yaml.RejectUnknownFields();

        var chosen = new[] { ("rolling", rolling), ("canary", canary), ("blueGreen", blueGreen) }.Where(s => s.Item2 is not null).ToList();
        foreach (var (key, _) in chosen.Skip(1))
        {
            yaml.Error(key, $"choose one strategy: rolling, canary or blueGreen (already {chosen[0].Item1})");
        }

        // Every strategy given is read (and its problems reported), then the first one wins: one too many is an error anyway.
        var strategies = new StrategySpec?[] { canary is null ? null : ParseCanary(canary), blueGreen is null ? null : ParseBlueGreen(blueGreen), rolling is null ? null : ParseRolling(rolling) };
        var strategy = strategies.FirstOrDefault(s => s is not null) ?? new RollingSpec();
        if (analysisYaml is not null && strategy is RollingSpec)
        {
            yaml.Error("analysis", "only canary and blueGreen rollouts are analysed (a rolling update has no traffic split to judge); choose one of them or remove it");
        }

        return new RolloutSpec { Strategy = strategy, Analysis = analysis, FailedStartLimit = failedStartLimit };
    }

    private static RollingSpec ParseRolling(YamlMappingReader yaml)
    {
        var spec = new RollingSpec(
            yaml.WholeNumber("maxSurge", 0, 1000) ?? RolloutDefaults.MaxSurge,
            yaml.WholeNumber("maxUnavailable", 0, 1000) ?? RolloutDefaults.MaxUnavailable);
        yaml.RejectUnknownFields();
        if (spec is { MaxSurge: 0, MaxUnavailable: 0 })
        {
            yaml.Error("maxSurge", "maxSurge and maxUnavailable cannot both be 0 (nothing could be replaced); allow a surge of 1 or more");
        }

        return spec;
    }

    private static BlueGreenSpec ParseBlueGreen(YamlMappingReader yaml)
    {
        var window = yaml.Duration("rollbackWindow", TimeSpan.Zero, TimeSpan.FromHours(24)) ?? RolloutDefaults.RollbackWindow;
        var verify = yaml.Flag("verify") ?? false;
        yaml.RejectUnknownFields();
        return new BlueGreenSpec(window, verify);
    }

    private static CanarySpec ParseCanary(YamlMappingReader yaml)
    {
        var items = yaml.MappingList("steps");
        yaml.RejectUnknownFields();
        if (items is null)
        {
            return new CanarySpec();
        }

        if (items.Count == 0)
        {
            yaml.Error("steps", "needs at least one step (setWeight, pause or analysis), or leave steps out for the default ones");
        }

        var steps = new List<CanaryStep>();
        var weight = 0;
        foreach (var item in items)
        {
            if (ParseStep(item) is not { } step)
            {
                continue;
            }

            weight = step is SetWeightStep set ? set.PerMille : weight;
            if (step is AnalysisStep && weight == 0)
            {
                item.Error("analysis", "needs traffic to judge: put a setWeight step before it");
            }

            steps.Add(step);
        }

        return new CanarySpec(ValueList.From(steps));
    }

    private static CanaryStep? ParseStep(YamlMappingReader item)
    {
        var found = new List<(string Key, CanaryStep? Step)>();
        if (item.NumberText("setWeight") is { } weight)
        {
            found.Add(("setWeight", ParseWeight(item, weight)));
        }

        if (item.HasMapping("pause"))
        {
            item.Mapping("pause")!.RejectUnknownFields();
            found.Add(("pause", new PauseStep(null)));
        }
        else if (item.Text("pause") is { } pause)
        {
            var ok = Durations.TryParse(pause, out var duration) && duration >= TimeSpan.FromSeconds(1) && duration <= TimeSpan.FromHours(24);
            found.Add(("pause", ok ? new PauseStep(duration) : Invalid(item, "pause", $"must be a duration from 1s to 24h (e.g. 30s, 5m), or {{}} to wait until promoted by hand, got '{pause}'")));
        }

        if (item.HasMapping("analysis"))
        {
            item.Mapping("analysis")!.RejectUnknownFields();
            found.Add(("analysis", new AnalysisStep()));
        }
        else if (item.Has("analysis"))
        {
            found.Add(("analysis", Invalid(item, "analysis", "must be {} (one check with the rollout's analysis settings)")));
        }

        item.RejectUnknownFields();
        foreach (var (key, _) in found.Skip(1))
        {
            item.Error(key, $"a step does one thing; {found[0].Key} and {key} need a '- ' each");
        }

        if (found.Count == 0)
        {
            item.Error(StepKinds[0], $"missing: a step is one of {string.Join(", ", StepKinds)}");
        }

        return found.Count == 1 ? found[0].Step : null;
    }

    private static SetWeightStep? ParseWeight(YamlMappingReader item, string text)
    {
        // Percent with at most one decimal: weights are whole per mille.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
            && percent >= 0.1 && percent <= 100 && Math.Abs((percent * 10) - Math.Round(percent * 10)) < 1e-9)
        {
            return new SetWeightStep((int)Math.Round(percent * 10));
        }

        return Invalid<SetWeightStep>(item, "setWeight", $"must be a percent from 0.1 to 100 with at most one decimal (e.g. 5, 2.5), got '{text}'");
    }

    private static AnalysisSpec ParseAnalysis(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return new AnalysisSpec();
        }

        var spec = new AnalysisSpec(
            yaml.Number("minSuccessRate", 0, 1) ?? RolloutDefaults.MinSuccessRate,
            yaml.Duration("maxP99", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10)) ?? RolloutDefaults.MaxP99,
            yaml.Number("maxP99Ratio", 1, 100) ?? RolloutDefaults.MaxP99Ratio,
            yaml.WholeNumber("minRequests", 1, 1_000_000) ?? RolloutDefaults.MinRequests,
            yaml.Duration("interval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? RolloutDefaults.AnalysisInterval,
            yaml.WholeNumber("failureLimit", 1, 100) ?? RolloutDefaults.FailureLimit);
        yaml.RejectUnknownFields();
        return spec;
    }

    private static CanaryStep? Invalid(YamlMappingReader item, string key, string message) => Invalid<CanaryStep>(item, key, message);

    private static T? Invalid<T>(YamlMappingReader item, string key, string message)
        where T : class
    {
        item.Error(key, message);
        return null;
    }
}

using System.Collections.Immutable;

namespace Bollard.Scaler.Autoscaling;

/// <summary>The numbers a decision was made from, by stable name, for the decision log.</summary>
internal static class DecisionInputs
{
    public static ImmutableSortedDictionary<string, double> Of(AutoscaleInput input, int current, ImmutableArray<MetricAsk> asks = default, int? recommendation = null)
    {
        var inputs = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        inputs["current"] = current;
        inputs["live"] = input.Current;
        inputs["ready"] = input.Ready;
        inputs["min"] = input.Range.Min;
        inputs["max"] = input.Range.Max;
        if (input.Load is { } load)
        {
            // A reading taken a hair after the pass's clock read is fresh, not negative (it printed as "-0").
            inputs["metrics-age-s"] = Math.Round(Math.Max(0, (input.Now - load.ObservedAt).TotalSeconds), 3);
            inputs["metrics-replicas"] = load.Replicas;
        }

        if (recommendation is { } count)
        {
            inputs["recommendation"] = count;
        }

        foreach (var ask in asks.IsDefault ? [] : asks)
        {
            inputs[ask.Name + "-target"] = ask.Target;
            if (ask.Observed is { } observed && ask.Needed is { } needed)
            {
                inputs[ask.Name] = observed;
                inputs[ask.Name + "-needed"] = needed;
            }
        }

        return inputs.ToImmutable();
    }
}

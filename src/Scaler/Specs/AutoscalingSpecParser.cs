using System.Collections.Immutable;

namespace Bollard.Scaler.Specs;

/// <summary>Reads the <c>autoscaling:</c> block of a service spec.</summary>
/// <example>
/// autoscaling:
///   metrics:
///     - type: rps        # requests per second per replica
///       target: 50
///     - type: p95        # the service's p95 latency
///       target: 200ms
///   tolerance: 0.1
///   scaleUp: { stabilization: 0s, maxReplicas: 4, maxPercent: 100, period: 15s }
///   scaleDown: { stabilization: 5m, maxReplicas: 100, maxPercent: 100, period: 15s }
/// </example>
internal static class AutoscalingSpecParser
{
    private static readonly Dictionary<string, MetricKind> Kinds = new(StringComparer.Ordinal)
    {
        ["rps"] = MetricKind.RequestsPerSecond,
        ["inflight"] = MetricKind.InFlight,
        ["p95"] = MetricKind.P95LatencyMs,
        ["cpu"] = MetricKind.CpuPercent,
    };

    public static AutoscalingSpec? Parse(YamlMappingReader? yaml)
    {
        if (yaml is null)
        {
            return null;
        }

        var metrics = ParseMetrics(yaml);
        var spec = new AutoscalingSpec
        {
            Metrics = metrics,
            Tolerance = yaml.Number("tolerance", 0, 0.9) ?? AutoscalingDefaults.Tolerance,
            ScaleUp = ParseRules(yaml.Mapping("scaleUp"), AutoscalingDefaults.ScaleUp),
            ScaleDown = ParseRules(yaml.Mapping("scaleDown"), AutoscalingDefaults.ScaleDown),
        };
        yaml.RejectUnknownFields();
        return spec;
    }

    private static ImmutableArray<MetricTarget> ParseMetrics(YamlMappingReader yaml)
    {
        var items = yaml.MappingList("metrics");
        if (items is null || items.Count == 0)
        {
            yaml.Error("metrics", "needs at least one metric, e.g. - {type: rps, target: 50}; types: rps, inflight, p95, cpu");
            return [];
        }

        var metrics = ImmutableArray.CreateBuilder<MetricTarget>();
        foreach (var item in items)
        {
            var type = item.Choice("type", [.. Kinds.Keys], required: true);
            if (type is null)
            {
                continue;
            }

            if (!Kinds.TryGetValue(type, out var kind))
            {
                item.Error("type", $"'{type}' is not a metric (allowed: {string.Join(", ", Kinds.Keys)})");
                continue;
            }

            double? target = kind == MetricKind.P95LatencyMs
                ? item.Duration("target", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1))?.TotalMilliseconds
                : item.Number("target", 0.01, kind == MetricKind.CpuPercent ? 10_000 : 1_000_000);
            if (target is null)
            {
                item.Error("target", kind == MetricKind.P95LatencyMs ? "is required: a latency such as 200ms" : "is required: the per-replica value to keep");
                continue;
            }

            item.RejectUnknownFields();
            metrics.Add(new MetricTarget(kind, target.Value));
        }

        return metrics.ToImmutable();
    }

    private static ScalingRules ParseRules(YamlMappingReader? yaml, ScalingRules defaults)
    {
        if (yaml is null)
        {
            return defaults;
        }

        var rules = new ScalingRules(
            yaml.Duration("stabilization", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? defaults.Stabilization,
            yaml.WholeNumber("maxReplicas", 1, 1000) ?? defaults.MaxReplicas,
            yaml.WholeNumber("maxPercent", 1, 1000) ?? defaults.MaxPercent,
            yaml.Duration("period", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? defaults.Period);
        yaml.RejectUnknownFields();
        return rules;
    }
}

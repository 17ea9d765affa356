using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>The names of the rules that can decide a count, as they appear in <see cref="ScaleDecision.Rule"/>, the
/// decision log and metrics labels. Stable: operators grep for them.</summary>
public static class ScaleRules
{
    public const string Fixed = "fixed";
    public const string WithinTolerance = "within-tolerance";
    public const string MissingMetricsHold = "missing-metrics-hold";
    public const string NoReadyReplicas = "no-ready-replicas";
    public const string ClampToMin = "clamp-to-min";
    public const string ClampToMax = "clamp-to-max";
    public const string ScaleUpStabilization = "scale-up-stabilization";
    public const string ScaleDownStabilization = "scale-down-stabilization";
    public const string StepLimitUp = "step-limit-up";
    public const string StepLimitDown = "step-limit-down";

    /// <summary>"target-tracking:rps" and so on: the metric whose ask was the largest.</summary>
    public static string TargetTracking(MetricKind kind) => "target-tracking:" + MetricName(kind);

    /// <summary>The short name of a metric, used in rule names, reasons and decision inputs.</summary>
    public static string MetricName(MetricKind kind) => kind switch
    {
        MetricKind.RequestsPerSecond => "rps",
        MetricKind.InFlight => "in-flight",
        MetricKind.P95LatencyMs => "p95-latency",
        MetricKind.CpuPercent => "cpu",
        _ => kind.ToString(),
    };
}

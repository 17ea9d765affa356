using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>What one tracked metric asks for.</summary>
/// <param name="Kind">The metric.</param>
/// <param name="Target">Its per-replica target from the spec.</param>
/// <param name="Observed">The observed value (per replica for rps, in-flight and CPU; the service's p95 for latency); null when missing.</param>
/// <param name="Needed">The replicas the load needs, unrounded; null when missing.</param>
/// <param name="Desired">The count this metric asks for after the tolerance; null when missing.</param>
/// <param name="WithinTolerance">True when the metric was close enough to its target to keep the current count.</param>
/// <param name="Reason">The computation in words.</param>
internal sealed record MetricAsk(MetricKind Kind, double Target, double? Observed, double? Needed, int? Desired, bool WithinTolerance, string Reason)
{
    public bool Missing => Desired is null;

    public string Name => ScaleRules.MetricName(Kind);

    public static MetricAsk Absent(MetricTarget metric, string why) =>
        new(metric.Kind, metric.Target, null, null, null, false, $"{ScaleRules.MetricName(metric.Kind)} missing ({why})");
}

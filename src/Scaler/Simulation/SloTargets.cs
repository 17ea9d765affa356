using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Simulation;

/// <summary>
/// The per-replica targets SLO debt is measured against. In a comparison both policies are measured against the same
/// targets (the first spec's), so a policy with a looser target does not look better by moving the goalposts.
/// In-flight is not in traces, so it is not measured.
/// </summary>
public sealed record SloTargets(double? RequestsPerSecond, double? P95LatencyMs, double? CpuPercent)
{
    public static SloTargets Of(AutoscalingSpec? spec)
    {
        double? Target(MetricKind kind) => spec?.Metrics.FirstOrDefault(m => m.Kind == kind)?.Target;
        return new SloTargets(Target(MetricKind.RequestsPerSecond), Target(MetricKind.P95LatencyMs), Target(MetricKind.CpuPercent));
    }

    public bool Any => RequestsPerSecond is not null || P95LatencyMs is not null || CpuPercent is not null;
}

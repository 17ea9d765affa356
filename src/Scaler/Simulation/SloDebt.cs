namespace Bollard.Scaler.Simulation;

/// <summary>
/// How far one moment of the simulation is above its targets. A moment is above target when any measured metric is:
/// requests/s per ready replica above the rps target (any request with no ready replica is), total CPU per ready
/// replica above the CPU target, p95 above the latency target. Requests above target are the requests beyond what the
/// ready replicas take at the rps target; without an rps target, every request arriving while above target.
/// </summary>
internal static class SloDebt
{
    public static (bool Above, double ExcessRps) At(SloTargets targets, TracePoint load, int ready)
    {
        var rps = load.RequestsPerSecond;
        var overRps = targets.RequestsPerSecond is { } rpsTarget && rps > ready * rpsTarget;
        var overCpu = targets.CpuPercent is { } cpuTarget && load.CpuPercent is { } cpu && cpu > ready * cpuTarget;
        var overP95 = targets.P95LatencyMs is { } p95Target && load.P95LatencyMs > p95Target;
        var above = overRps || overCpu || overP95;
        var excess = targets.RequestsPerSecond is { } target ? Math.Max(0, rps - (ready * target)) : above ? rps : 0;
        return (above, excess);
    }
}

using System.Collections.Immutable;

namespace Bollard.Scaler.Simulation;

/// <summary>One row of a load trace: the load from <paramref name="At"/> until the next row.</summary>
/// <param name="At">Time since the trace's start.</param>
/// <param name="RequestsPerSecond">Requests per second arriving at the service, all replicas together.</param>
/// <param name="P95LatencyMs">The service's p95 latency, replayed as recorded (it does not react to the replica count).</param>
/// <param name="CpuPercent">The service's total CPU, in percent of one core, all replicas together: the simulator
/// divides it by the ready replicas, as the agent averages Docker stats over them.</param>
/// <param name="Line">The row's line in its file, for messages.</param>
public sealed record TracePoint(TimeSpan At, double RequestsPerSecond, double? P95LatencyMs, double? CpuPercent, int Line);

/// <summary>
/// A load trace: rows sorted by time, strictly increasing, at least two. The load is a step function: a row holds until
/// the next one, and the last row holds as long as the interval before it (so a trace sampled every 10 s covers its
/// last 10 s too).
/// </summary>
/// <param name="Source">The file it was read from, for messages and reports.</param>
/// <param name="Start">The absolute time of the first row when the trace used ISO 8601 times; null for seconds.</param>
/// <param name="Points">The rows, sorted.</param>
public sealed record LoadTrace(string Source, DateTimeOffset? Start, ImmutableArray<TracePoint> Points)
{
    public TimeSpan Duration => Points[^1].At + (Points[^1].At - Points[^2].At);

    public bool HasP95 => Points.Any(p => p.P95LatencyMs is not null);

    public bool HasCpu => Points.Any(p => p.CpuPercent is not null);
}

namespace Bollard.Scaler.Runtime;

/// <summary>
/// One reading of a container's cumulative CPU counter. A single reading says nothing about load: the caller keeps
/// the previous one and divides the usage between the two by the time between them (see
/// <see cref="Traffic.CpuUsage"/>).
/// </summary>
/// <param name="TotalUsageNanoseconds">CPU time the container used since it started, all cores together.</param>
/// <param name="ReadAt">When the engine read the counter, on the engine's clock: compare only samples of one engine.</param>
public sealed record ContainerCpuSample(ulong TotalUsageNanoseconds, DateTimeOffset ReadAt);

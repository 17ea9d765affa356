using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

public sealed partial class DockerContainerRuntime
{
    /// <summary>
    /// One-shot stats (API 1.41+): without <c>one-shot</c> the engine waits a second to fill in its own previous
    /// reading, which the caller does not need; it keeps its own previous sample.
    /// </summary>
    private static readonly ContainerStatsParameters OneShotStats = new() { Stream = false, OneShot = true };

    public async Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken)
    {
        var progress = new LastStats();
        var missing = await CallAsync(
            $"the stats of container {containerId}",
            options.RequestTimeout,
            async ct =>
            {
                try
                {
                    await client.Containers.GetContainerStatsAsync(containerId, OneShotStats, progress, ct);
                    return false;
                }
                catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return true;
                }
            },
            cancellationToken);
        return missing ? null : ToSample(progress.Value);
    }

    /// <summary>
    /// A stopped container still answers, with a zero read time and no usage: that is no sample, not an idle one.
    /// </summary>
    internal static ContainerCpuSample? ToSample(ContainerStatsResponse? stats) =>
        stats?.CPUStats?.CPUUsage is { TotalUsage: > 0 } usage && stats.Read.Year > 1
            ? new ContainerCpuSample(usage.TotalUsage, new DateTimeOffset(stats.Read.ToUniversalTime(), TimeSpan.Zero))
            : null;

    /// <summary>
    /// Keeps the one answer of a non-streaming stats call. Not <see cref="Progress{T}"/>: that posts to the thread pool,
    /// so its callback could run after the call returned.
    /// </summary>
    private sealed class LastStats : IProgress<ContainerStatsResponse>
    {
        public ContainerStatsResponse? Value { get; private set; }

        public void Report(ContainerStatsResponse value) => Value = value;
    }
}

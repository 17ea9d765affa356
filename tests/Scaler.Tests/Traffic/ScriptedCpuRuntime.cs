using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Traffic;

/// <summary>A runtime that only answers CPU samples, from a script the test sets; everything else is not needed here.</summary>
internal sealed class ScriptedCpuRuntime(string endpoint) : IContainerRuntime
{
    /// <summary>The sample each container gives; a missing entry is a missing container.</summary>
    public Dictionary<string, ContainerCpuSample> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every sample fails as if the engine were down.</summary>
    public bool Unreachable { get; set; }

    public string Endpoint => endpoint;

    public Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken) =>
        Unreachable
            ? Task.FromException<ContainerCpuSample?>(new RuntimeUnavailableException($"{endpoint} is down"))
            : Task.FromResult(Samples.GetValueOrDefault(containerId));

    public Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<ContainerEvent> WatchEventsAsync(string cluster, CancellationToken cancellationToken) => throw new NotSupportedException();
}

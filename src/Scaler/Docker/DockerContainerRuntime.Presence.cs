using Bollard.Scaler.Runtime;
using Docker.DotNet;

namespace Bollard.Scaler.Docker;

public sealed partial class DockerContainerRuntime : IContainerPresence
{
    public async Task<bool> ContainerExistsAsync(string containerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        return !await CallAsync(
            $"the inspection of container {containerId}",
            options.RequestTimeout,
            ct => IgnoreMissingAsync(() => client.Containers.InspectContainerAsync(containerId, ct)),
            cancellationToken);
    }
}

using System.Collections.Immutable;

namespace Bollard.Scaler.Runtime;

/// <summary>What to create: one immutable replica. Its container port is published on <see cref="PublishAddress"/>
/// with a free host port chosen by the engine.</summary>
/// <param name="Name">The container name (unique on the engine).</param>
/// <param name="Image">Image reference present on the host.</param>
/// <param name="ContainerPort">The TCP port the app listens on inside the container.</param>
/// <param name="PublishAddress">Host address to publish on; loopback unless the host is reached from other hosts.</param>
public sealed record ContainerCreateRequest(string Name, string Image, int ContainerPort, string PublishAddress)
{
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>CPU limit in cores (e.g. 0.5); null for no limit.</summary>
    public double? CpuLimit { get; init; }

    /// <summary>Memory limit in bytes; null for no limit.</summary>
    public long? MemoryLimitBytes { get; init; }
}

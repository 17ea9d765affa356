using System.Collections.Immutable;

namespace Bollard.Scaler.Runtime;

/// <summary>What to create: one immutable replica. Its container port is published on <see cref="PublishAddress"/>
/// with a free host port chosen by the engine. Every replica runs with no-new-privileges and all capabilities dropped
/// but <see cref="AddCapabilities"/>; the rest of its confinement is in the request.</summary>
/// <param name="Name">The container name (unique on the engine).</param>
/// <param name="Image">Image reference present on the host.</param>
/// <param name="ContainerPort">The TCP port the app listens on inside the container.</param>
/// <param name="PublishAddress">Host address to publish on; loopback unless the host is reached from other hosts.</param>
public sealed record ContainerCreateRequest(string Name, string Image, int ContainerPort, string PublishAddress)
{
    /// <summary>The variables and their values: secrets, sealed whenever the request travels to another host.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Env files on the engine's host, read when the container is created; <see cref="Environment"/> wins over them.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>CPU limit in cores (e.g. 0.5); null for no limit.</summary>
    public double? CpuLimit { get; init; }

    /// <summary>Memory limit in bytes; null for no limit.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>The most processes and threads the container may run at once.</summary>
    public int PidsLimit { get; init; } = Specs.SpecDefaults.Pids;

    /// <summary>The user to run as; null: the image's.</summary>
    public string? User { get; init; }

    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Capabilities given back after all are dropped (e.g. NET_BIND_SERVICE).</summary>
    public IReadOnlyList<string> AddCapabilities { get; init; } = [];

    /// <summary>tmpfs mounts: path to size in bytes.</summary>
    public IReadOnlyDictionary<string, long> Tmpfs { get; init; } = ImmutableDictionary<string, long>.Empty;

    /// <summary>The name and image only: a request printed in a log shows no environment value.</summary>
    public override string ToString() => $"{Name} ({Image})";
}

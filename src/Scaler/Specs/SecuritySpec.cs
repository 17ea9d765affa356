using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Specs;

/// <summary>
/// How a replica's process is confined (YAML <c>security:</c>). Whatever a spec says, every replica runs with
/// no-new-privileges, all Linux capabilities dropped except <see cref="AddCapabilities"/>, and a PID limit
/// (<see cref="ResourcesSpec.Pids"/>). Part of the version: a change makes new containers.
/// </summary>
public sealed record SecuritySpec
{
    /// <summary>The user the process runs as (<c>name</c>, <c>uid</c>, optionally <c>:group</c> or <c>:gid</c>); null: the image's own.</summary>
    public string? User { get; init; }

    /// <summary>The container's root filesystem is mounted read-only (writable places come from <see cref="Tmpfs"/>).</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Capabilities given back after all are dropped: upper-case, without <c>CAP_</c>, sorted (e.g. NET_BIND_SERVICE).</summary>
    public ValueList<string> AddCapabilities { get; init; } = [];

    /// <summary>In-memory writable mounts, sorted by path (e.g. /tmp under a read-only root).</summary>
    public ValueList<TmpfsMount> Tmpfs { get; init; } = [];
}

/// <summary>A tmpfs mounted at <paramref name="Path"/> (nosuid, nodev), at most <paramref name="SizeBytes"/> large.</summary>
public sealed record TmpfsMount(string Path, long SizeBytes);

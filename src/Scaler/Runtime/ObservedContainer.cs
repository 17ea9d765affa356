using System.Collections.Immutable;

namespace Bollard.Scaler.Runtime;

/// <summary>A container as the engine reports it, read back from its labels and published port.</summary>
/// <param name="Id">The full container id.</param>
/// <param name="Name">The container name (without the leading slash).</param>
/// <param name="Service">From the service label.</param>
/// <param name="Version">From the version label.</param>
/// <param name="Zone">From the zone label.</param>
/// <param name="State">Running, or not.</param>
/// <param name="HostAddress">The host address the container port is published on (127.0.0.1 by default).</param>
/// <param name="HostPort">The published host port; null when not running or not published.</param>
/// <param name="Created">When the engine created it.</param>
public sealed record ObservedContainer(
    string Id,
    string Name,
    string Service,
    string Version,
    string Zone,
    ContainerRunState State,
    string HostAddress,
    int? HostPort,
    DateTimeOffset Created)
{
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>How it ended, when it is <see cref="ContainerRunState.Stopped"/> and its engine could tell; null otherwise.</summary>
    public ContainerExit? Exit { get; init; }

    /// <summary>The first 12 characters of the id, as `docker ps` shows it; used as the catalog instance id.</summary>
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
}

public enum ContainerRunState
{
    /// <summary>Created but never started, or restarting.</summary>
    Created,

    Running,

    /// <summary>Exited, dead or paused: not serving.</summary>
    Stopped,
}

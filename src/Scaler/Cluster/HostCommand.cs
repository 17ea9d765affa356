using Bollard.Discovery;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Cluster;

public enum HostCommandKind
{
    Create,
    Stop,
    Remove,
    Register,
    Deregister,

    /// <summary>Pull an image (a registry digest) onto the host's engine, with the host's own registry credentials.</summary>
    Pull,
}

/// <summary>
/// One thing the controller asks a host's agent to do on its engine or in its local Consul agent: the remote form of
/// an <see cref="IContainerRuntime"/> or registrar call. Only the fields of its kind are set.
/// </summary>
public sealed record HostCommand(string Id, HostCommandKind Kind)
{
    public ContainerCreateRequest? Create { get; init; }

    public string? ContainerId { get; init; }

    public TimeSpan? GracePeriod { get; init; }

    public ServiceRegistration? Registration { get; init; }

    public string? InstanceId { get; init; }

    /// <summary>The image of a pull.</summary>
    public string? Image { get; init; }

    public override string ToString() => Kind switch
    {
        HostCommandKind.Create => $"create {Create?.Name}",
        HostCommandKind.Stop or HostCommandKind.Remove => $"{Kind.ToString().ToLowerInvariant()} {ContainerId}",
        HostCommandKind.Pull => $"pull {Image}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Registration?.Id ?? InstanceId}",
    };
}

public enum HostCommandFailure
{
    /// <summary>The host's engine or Consul agent could not be reached: try again later.</summary>
    Unavailable,

    /// <summary>The engine answered but refused (unknown image, name conflict...).</summary>
    Refused,
}

/// <summary>The host agent's answer: done (with the created container for a create), or why not.</summary>
public sealed record HostCommandResult(HostCommandFailure? Failure, string? Error, ObservedContainer? Container)
{
    /// <summary>What a pull did.</summary>
    public ImagePullResult? Pulled { get; init; }

    public bool Succeeded => Failure is null;

    public static HostCommandResult Done(ObservedContainer? container = null) => new(null, null, container);

    public static HostCommandResult Failed(HostCommandFailure failure, string error) => new(failure, error, null);
}

/// <summary>What a command key holds: the command, and once the host's agent ran it, its result.</summary>
public sealed record HostCommandEntry(HostCommand Command, HostCommandResult? Result)
{
    /// <summary>How far a running pull is, written by the host's agent now and then while it runs.</summary>
    public ImagePullProgress? Progress { get; init; }
}

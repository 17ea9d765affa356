using Bollard.Discovery;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Whether a host's agent runs a command found under its command prefix: pure rules, each returning why it refuses
/// (null: it does not). Anyone who may write Consul KV can write a key there, so a command runs only when it is held by
/// the session that holds the controller lock now, touches only this cluster's containers on this host, creates only
/// replicas of a version of the spec set (its image, confined as its replicas are) and pulls only images it names. The reasons go into logs and back into the command's key: they name
/// sessions, containers and images, never an environment value.
/// </summary>
internal static class CommandAdmission
{
    /// <param name="commandSession">The session holding the command's key (null or empty: none).</param>
    /// <param name="leaderSession">The session holding <c>bollard/&lt;cluster&gt;/leader</c> now (null: nobody controls the cluster).</param>
    public static string? SessionRefusal(string? commandSession, string? leaderSession)
    {
        if (string.IsNullOrEmpty(commandSession))
        {
            return "it is held by no session, so not by the controller's";
        }

        if (string.IsNullOrEmpty(leaderSession))
        {
            return $"it is held by session {commandSession}, but no agent holds the controller lock now";
        }

        return commandSession == leaderSession
            ? null
            : $"it is held by session {commandSession}, not by the session that holds the controller lock ({leaderSession})";
    }

    /// <summary>True when the command names containers or registrations of this host (and needs its container list).</summary>
    public static bool NeedsContainers(HostCommand command) =>
        command.Kind is HostCommandKind.Stop or HostCommandKind.Remove or HostCommandKind.Register or HostCommandKind.Deregister;

    /// <summary>True when the command brings an image to this host (and needs the spec set's versions).</summary>
    public static bool NeedsSpecSet(HostCommand command) => command.Kind is HostCommandKind.Create or HostCommandKind.Pull;

    /// <summary>
    /// Whether the command stays within this cluster on this host: a create labelled as this cluster's replica and
    /// published where this host publishes; a stop, remove or deregistration of one of this cluster's containers here;
    /// a registration that is exactly what the controller registers for one of them (so no address of someone else's
    /// enters the catalog).
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="cluster">This agent's cluster.</param>
    /// <param name="host">The host the command is for.</param>
    /// <param name="containers">This cluster's containers on the host (<see cref="IContainerRuntime.ListManagedAsync"/>).</param>
    public static string? TargetRefusal(HostCommand command, string cluster, ManagedHost host, IReadOnlyList<ObservedContainer> containers)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(containers);
        return command.Kind switch
        {
            HostCommandKind.Create when command.Create is { } create => CreateRefusal(create, cluster, host),
            HostCommandKind.Stop or HostCommandKind.Remove when command.ContainerId is { } id =>
                containers.Any(c => c.Id == id) ? null : $"no container {id} of cluster {cluster} runs on host {host.Name}",
            HostCommandKind.Register when command.Registration is { } registration => RegistrationRefusal(registration, cluster, host, containers),
            HostCommandKind.Deregister when command.InstanceId is { } instance =>
                containers.Any(c => ReplicaRequests.InstanceId(c) == instance) ? null : $"{instance} is not a replica of cluster {cluster} on host {host.Name}",
            _ => null,
        };
    }

    /// <summary>
    /// The container a stop, remove or deregistration is about: its id, or the short id a replica's instance id ends
    /// with (<c>web-0123456789ab</c>); null for any other command or instance id.
    /// </summary>
    public static string? ContainerOf(HostCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Kind switch
        {
            HostCommandKind.Stop or HostCommandKind.Remove => command.ContainerId,
            HostCommandKind.Deregister when command.InstanceId is { } instance && ReplicaOf(instance) is { } replica => replica.ShortId,
            _ => null,
        };
    }

    /// <summary>
    /// True when the command deregisters a replica of a service of the spec set whose container the engine no longer
    /// holds: its registration can outlive it in the host's catalog (until its check has been critical long enough),
    /// and the controller removes what it still finds there. An instance id of anything else is refused.
    /// </summary>
    public static bool LingeringRegistration(HostCommand command, SpecSetVersions versions)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(versions);
        return command.Kind == HostCommandKind.Deregister
            && command.InstanceId is { } instance
            && ReplicaOf(instance) is { } replica
            && versions.HasService(replica.Service);
    }

    /// <summary>
    /// True when the command is a stop or remove of a container that is neither this cluster's on the host nor on its
    /// engine at all: it is done already (the controller decides from a report a moment old) and is answered as done,
    /// running nothing. A container the engine still holds for someone else is refused by <see cref="TargetRefusal"/>.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="containers">This cluster's containers on the host.</param>
    /// <param name="onEngine">Whether the engine holds the command's container at all.</param>
    public static bool AlreadyDone(HostCommand command, IReadOnlyList<ObservedContainer> containers, bool onEngine)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(containers);
        return command.Kind is HostCommandKind.Stop or HostCommandKind.Remove
            && command.ContainerId is { } id
            && containers.All(c => c.Id != id)
            && !onEngine;
    }

    /// <summary>
    /// Whether a create makes a replica of a version of the spec set (its service's image, confined as that version's
    /// replicas are: no capability, env file, user or limit of its own), and a pull brings an image a version names.
    /// </summary>
    public static string? SpecSetRefusal(HostCommand command, SpecSetVersions versions)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(versions);
        switch (command.Kind)
        {
            case HostCommandKind.Create when command.Create is { } create:
                var service = create.Labels.GetValueOrDefault(ContainerLabels.Service) ?? "(no service label)";
                var candidates = versions.WithImage(service, create.Image).ToList();
                if (candidates.Count == 0)
                {
                    return $"image {create.Image} is not named by the applied spec, the pin or a rollout of service {service}";
                }

                return candidates.Any(spec => SpecSetVersions.Confines(create, spec))
                    ? null
                    : $"the container's port, env files, limits, user, root filesystem, capabilities or tmpfs mounts are not those of a version of service {service} running {create.Image}";
            case HostCommandKind.Pull when command.Image is { } image:
                return versions.NamesImage(image) ? null : $"image {image} is not named by any applied spec, pin or rollout";
            default:
                return null;
        }
    }

    /// <summary>The service and container short id of a replica's instance id (<c>service-0123456789ab</c>), or null.</summary>
    private static (string Service, string ShortId)? ReplicaOf(string instance)
    {
        var dash = instance.LastIndexOf('-');
        var shortId = dash > 0 ? instance[(dash + 1)..] : "";
        return shortId.Length == 12 && shortId.All(char.IsAsciiHexDigitLower) ? (instance[..dash], shortId) : null;
    }

    private static string? CreateRefusal(ContainerCreateRequest create, string cluster, ManagedHost host)
    {
        if (create.Labels.GetValueOrDefault(ContainerLabels.ManagedBy) != ContainerLabels.ManagedByValue
            || create.Labels.GetValueOrDefault(ContainerLabels.Cluster) != cluster)
        {
            return $"the container would not carry the labels of cluster {cluster} ({ContainerLabels.ManagedBy}={ContainerLabels.ManagedByValue}, {ContainerLabels.Cluster}={cluster})";
        }

        if (string.IsNullOrEmpty(create.Labels.GetValueOrDefault(ContainerLabels.Service)))
        {
            return $"the container would carry no {ContainerLabels.Service} label";
        }

        return create.PublishAddress == host.PublishAddress
            ? null
            : $"its port would be published on {create.PublishAddress}, not on host {host.Name}'s publish address {host.PublishAddress}";
    }

    private static string? RegistrationRefusal(ServiceRegistration registration, string cluster, ManagedHost host, IReadOnlyList<ObservedContainer> containers)
    {
        var replica = containers.FirstOrDefault(c => ReplicaRequests.InstanceId(c) == registration.Id);
        if (replica is null)
        {
            return $"{registration.Id} is not a replica of cluster {cluster} on host {host.Name}";
        }

        var address = host.AdvertiseAddress ?? replica.HostAddress;
        var check = registration.Check.Url;
        var matches = registration.Service == replica.Service
            && registration.Version == replica.Version
            && registration.Address == address
            && registration.Port == replica.HostPort
            && check.Host == address
            && check.Port == replica.HostPort;
        return matches
            ? null
            : $"registration {registration.Id} does not match its replica (service {replica.Service}, version {replica.Version}, {address}:{replica.HostPort}, checked there)";
    }
}

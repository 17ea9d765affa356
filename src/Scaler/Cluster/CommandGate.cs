using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.State;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The host's side of the command channel: reads what <see cref="CommandAdmission"/> decides on (who holds the
/// controller lock now, this cluster's containers on the host, the spec set's versions), only as much as the command
/// needs and the session first, so a command that is not the controller's costs no Docker call. A source that cannot be
/// read is asked again until the controller would have given up on the command.
/// </summary>
public sealed class CommandGate(
    ConsulKeyValueStore store,
    SpecSetReader specSet,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    TimeProvider time)
{
    /// <summary>How long to wait between two tries of a source that could not be read.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Null when the command may run; otherwise the answer to give it without running it: refused (with the reason),
    /// done already (a stop or remove of a container that is gone), or not checkable now.
    /// </summary>
    /// <param name="host">The host the command is for.</param>
    /// <param name="session">The session holding the command's key.</param>
    /// <param name="command">The command.</param>
    /// <param name="cancellationToken">Stops checking.</param>
    public async Task<HostCommandResult?> CheckAsync(ManagedHost host, string? session, HostCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(command);
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return await DecideAsync(host, session, command, cancellationToken);
            }
            catch (Exception e) when (e is CatalogUnavailableException or StateStoreUnavailableException or RuntimeUnavailableException)
            {
                if (time.GetElapsedTime(started) >= options.Value.CommandTimeout)
                {
                    return HostCommandResult.Failed(HostCommandFailure.Unavailable, $"host {host.Name}'s agent could not check the command: {e.Message}");
                }
            }

            await Task.Delay(RetryInterval, time, cancellationToken);
        }
    }

    private async Task<HostCommandResult?> DecideAsync(ManagedHost host, string? session, HostCommand command, CancellationToken cancellationToken)
    {
        var cluster = scaler.Value.Cluster;

        // Read now, not from the watch that delivered the command: the lock may have moved since.
        var leader = await store.GetAsync(ClusterKeys.Leader(cluster), cancellationToken);
        if (CommandAdmission.SessionRefusal(session, leader?.Session) is { } notController)
        {
            return Refused(host, notController);
        }

        var containers = CommandAdmission.NeedsContainers(command) ? await host.Runtime.ListManagedAsync(cluster, cancellationToken) : [];
        if (CommandAdmission.TargetRefusal(command, cluster, host, containers) is { } outside)
        {
            // Not this cluster's container here: gone from the engine (the controller decides from a report a moment
            // old), or someone else's. Only the engine can tell.
            var gone = CommandAdmission.ContainerOf(command) is { } id && host.Runtime is IContainerPresence presence
                && !await OnEngineAsync(presence, id, cancellationToken);
            if (gone && CommandAdmission.AlreadyDone(command, containers, onEngine: false))
            {
                return HostCommandResult.Done();
            }

            if (!gone || !CommandAdmission.LingeringRegistration(command, await specSet.ReadAsync(cancellationToken)))
            {
                return Refused(host, outside);
            }
        }

        return CommandAdmission.NeedsSpecSet(command) && CommandAdmission.SpecSetRefusal(command, await specSet.ReadAsync(cancellationToken)) is { } notInSpecSet
            ? Refused(host, notInSpecSet)
            : null;
    }

    /// <summary>Whether the engine holds the container; an answer that is not a plain yes or no (an ambiguous short id) counts as yes.</summary>
    private static async Task<bool> OnEngineAsync(IContainerPresence presence, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await presence.ContainerExistsAsync(id, cancellationToken);
        }
        catch (ContainerOperationException)
        {
            return true;
        }
    }

    private static HostCommandResult Refused(ManagedHost host, string reason) =>
        HostCommandResult.Failed(HostCommandFailure.Refused, $"refused by host {host.Name}'s agent: {reason}");
}

using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Secrets;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The controller's side of a command: writes it under the host's command prefix, held by the controller lock's
/// session and fenced on it (Consul writes it only while that session holds the lock, and deletes it when the session
/// ends: the commands of a controller that lost the lock are never written, nor run late), waits with blocking
/// queries until the host's agent wrote its result into the same key (or its report left Consul: nobody will answer),
/// then deletes the key. A create's environment values travel sealed with the cluster's secrets key
/// (<see cref="EnvSealing"/>): Consul never holds one in clear text.
/// </summary>
public sealed class HostCommandClient(
    ConsulKeyValueStore store,
    ConsulKeyValueWatch watch,
    ConsulLeaderLock leaderLock,
    ClusterHostsWatch hosts,
    SecretKey secrets,
    IOptions<ScalerOptions> scaler,
    TimeProvider time)
{
    /// <summary>Sends <paramref name="command"/> to <paramref name="host"/>'s agent and returns its result.</summary>
    /// <param name="host">The host whose agent runs it.</param>
    /// <param name="command">The command.</param>
    /// <param name="timeout">How long to wait for the result.</param>
    /// <param name="progress">Told how far a pull is, as the host's agent writes it meanwhile; may be null.</param>
    /// <param name="cancellationToken">Stops waiting (the command is deleted).</param>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached, the command vanished, or no result came within <paramref name="timeout"/>.</exception>
    /// <exception cref="NotLeadingException">This agent's session does not hold the controller lock: nothing was written.</exception>
    public async Task<HostCommandResult> SendAsync(string host, HostCommand command, TimeSpan timeout, IProgress<Runtime.ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var entryKey = ClusterKeys.Command(scaler.Value.Cluster, host, command.Id);
        var sealedCommand = command.Create is { } create ? command with { Create = create with { Environment = EnvSealing.SealAll(secrets, create.Environment) } } : command;
        if (!await leaderLock.TryWriteAsLeaderAsync(entryKey, ClusterJson.Write(new HostCommandEntry(sealedCommand, null)), cancellationToken))
        {
            throw new NotLeadingException($"the command '{command}' for host {host} was not written: this agent's session no longer holds the controller lock");
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var left = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, left.Token);

        // An agent that stopped or died answers nothing: its report leaving Consul ends the wait (not the timeout).
        void OnHostsChanged()
        {
            try
            {
                if (Left(host))
                {
                    left.Cancel();
                }
            }
            catch (ObjectDisposedException)
            {
                // Raised just as this wait ended.
            }
        }

        hosts.Changed += OnHostsChanged;
        try
        {
            OnHostsChanged();
            return await AwaitResultAsync(entryKey, host, command, progress, linked.Token);
        }
        catch (OperationCanceledException) when (left.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CatalogUnavailableException($"host {host}'s agent left Consul (it stopped, or its session ended) before it answered '{command}'");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CatalogUnavailableException($"host {host}'s agent did not answer '{command}' within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            hosts.Changed -= OnHostsChanged;
            await DeleteQuietlyAsync(entryKey);
        }
    }

    /// <summary>Whether the host's report left Consul (known before, gone now).</summary>
    private bool Left(string host) => hosts.Roster.Entries.TryGetValue(host, out var entry) && entry.GoneAt is not null;

    private async Task<HostCommandResult> AwaitResultAsync(string key, string host, HostCommand command, IProgress<Runtime.ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        ulong index = 0;
        Runtime.ImagePullProgress? reported = null;
        while (true)
        {
            // The key itself as the prefix: ids are fixed-length, so no other command shares it.
            var listing = await watch.ListAsync(key, index, cancellationToken);
            var entry = listing.Entries.FirstOrDefault(e => e.Key == key);
            if (entry is null)
            {
                throw new CatalogUnavailableException($"the command '{command}' for host {host} vanished from Consul before it was answered (the controller lock's session ended)");
            }

            var read = ClusterJson.Read<HostCommandEntry>(entry.Value);
            if (read?.Result is { } result)
            {
                return result;
            }

            if (read?.Progress is { } now && now != reported)
            {
                progress?.Report(now);
                reported = now;
            }

            // Consul's index may go backwards (a restored snapshot): read afresh then.
            index = listing.Index > index ? listing.Index : 0;
        }
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (CatalogUnavailableException)
        {
            // It goes with the controller lock's session at the latest; a host agent never runs an answered command again.
        }
    }
}

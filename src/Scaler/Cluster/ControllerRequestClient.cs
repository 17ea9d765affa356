using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Admin;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The sending side of a rollout command given to an agent that is not the controller: writes it under
/// <c>requests/&lt;id&gt;</c> (held by this agent's session, so it never outlives this agent), waits with blocking
/// queries for the controller's answer, then deletes it. Not taken within <see cref="ClusterOptions.ControllerRequestTimeout"/>,
/// it is withdrawn with check-and-set, so that a controller can no longer run it late.
/// </summary>
public sealed class ControllerRequestClient(
    ConsulKeyValueStore store,
    ConsulKeyValueWatch watch,
    AgentSession session,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    TimeProvider time)
{
    /// <summary>Has the controller run <paramref name="request"/>; its answer, or its refusal as the same exception.</summary>
    /// <exception cref="ControlPlaneException">Refused by the controller (its error), or no answer (503: the message says whether it ran).</exception>
    public async Task<RolloutStatus> SendAsync(ControllerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cluster = scaler.Value.Cluster;
        var key = ClusterKeys.Request(cluster, Guid.NewGuid().ToString("N"));
        var timeout = options.Value.ControllerRequestTimeout;
        try
        {
            var id = await session.CurrentAsync(cancellationToken);
            if (!await store.TryAcquireAsync(key, id, ClusterJson.Write(request), cancellationToken))
            {
                throw Unavailable($"the command could not be written to Consul for the controller (this agent's session {id} ended?); nothing was changed");
            }
        }
        catch (CatalogUnavailableException e)
        {
            throw Unavailable($"the command cannot be passed to the controller, Consul cannot be reached ({e.Message}); nothing was changed", e);
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        ulong pendingIndex = 0;
        try
        {
            ulong index = 0;
            while (true)
            {
                // The key itself as the prefix: ids are fixed-length, so no other request shares it.
                var listing = await watch.ListAsync(key, index, linked.Token);
                var entry = listing.Entries.FirstOrDefault(e => e.Key == key);
                var current = entry is null ? null : ClusterJson.Read<ControllerRequest>(entry.Value);
                if (current is null)
                {
                    throw Unavailable("the command vanished from Consul before the controller answered (this agent's session ended); `bollard rollout status` shows whether it ran");
                }

                if (current.Answer is { } answer)
                {
                    return answer.Status ?? throw new ControlPlaneException(answer.Error ?? ControlPlaneError.Conflict, answer.Message ?? "refused by the controller");
                }

                if (current.Pending)
                {
                    pendingIndex = entry!.ModifyIndex;
                }

                index = listing.Index > index ? listing.Index : 0;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Withdrawn only if still as written: a controller that took it meanwhile may be running it (its answer is
            // then written with check-and-set, so the key deleted below is not brought back).
            var withdrawn = pendingIndex != 0 && await TryWithdrawAsync(key, pendingIndex);
            throw withdrawn
                ? Unavailable($"no controller took the command within {timeout.TotalSeconds:0} s ({await LeaderAsync(cluster)}); nothing was changed")
                : Unavailable($"the controller took the command but did not answer within {timeout.TotalSeconds:0} s; `bollard rollout status` shows whether it ran");
        }
        catch (CatalogUnavailableException e)
        {
            throw Unavailable($"Consul stopped answering while the controller had the command ({e.Message}); `bollard rollout status` shows whether it ran", e);
        }
        finally
        {
            await DeleteQuietlyAsync(key);
        }
    }

    private async Task<bool> TryWithdrawAsync(string key, ulong pendingIndex)
    {
        try
        {
            return await store.TryDeleteAsync(key, pendingIndex, CancellationToken.None);
        }
        catch (CatalogUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Who the leader key names, for the message: whether a controller is there at all helps the operator.</summary>
    private async Task<string> LeaderAsync(string cluster)
    {
        try
        {
            return await store.GetAsync(ClusterKeys.Leader(cluster), CancellationToken.None) is { Session: not null } leader
                ? $"the leader key {ClusterKeys.Leader(cluster)} names {System.Text.Encoding.UTF8.GetString(leader.Value.Span)}"
                : $"no agent holds the leader key {ClusterKeys.Leader(cluster)}";
        }
        catch (CatalogUnavailableException)
        {
            return "the leader key cannot be read";
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
            // It goes with this agent's session at the latest; an answered request is never run again.
        }
    }

    private static ControlPlaneException Unavailable(string message, Exception? inner = null) => new(ControlPlaneError.Unavailable, message, inner);
}

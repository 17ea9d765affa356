using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// This agent's Consul session: it holds the agent's host reports and traffic reports, and is created with the
/// "delete" behaviour, so all of them vanish when the agent dies (its liveness check, <see cref="AgentHeartbeat"/>,
/// turns critical within seconds; the TTL is a backstop) or stops (the session is destroyed). No lock delay: a
/// restarted agent takes its host keys back at once.
/// </summary>
public sealed class AgentSession(ConsulSessions sessions, AgentHeartbeat heartbeat, IOptions<ClusterOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile string? _id;

    /// <summary>The session id, creating the session when there is none.</summary>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached, or this agent's liveness check is not registered yet.</exception>
    public async Task<string> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_id is { } id)
        {
            return id;
        }

        try
        {
            // At start, the first publications wait for the first heartbeat rather than fail.
            await heartbeat.Registered.WaitAsync(options.Value.AliveTtl, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new CatalogUnavailableException("this agent's liveness check is not registered in Consul yet (its session is bound to it)");
        }

        await _create.WaitAsync(cancellationToken);
        try
        {
            return _id ??= await sessions.CreateAsync(
                $"bollard-agent {options.Value.Agent}", options.Value.SessionTtl, TimeSpan.Zero, ConsulSessionBehavior.Delete, heartbeat.SessionChecks, cancellationToken);
        }
        finally
        {
            _create.Release();
        }
    }

    /// <summary>Renews the session; false when it was lost (its keys are gone: the next <see cref="CurrentAsync"/> makes a new one).</summary>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached.</exception>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (_id is not { } id)
        {
            return false;
        }

        if (await sessions.RenewAsync(id, cancellationToken))
        {
            return true;
        }

        Interlocked.CompareExchange(ref _id, null, id);
        return false;
    }

    /// <summary>
    /// After a write held by the session failed: drops the session if Consul no longer has it (it ended while the agent
    /// was frozen or cut off), so that the next write makes a new one instead of failing until the next renewal.
    /// </summary>
    public async Task CheckAfterFailureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RenewAsync(cancellationToken);
        }
        catch (CatalogUnavailableException)
        {
            // Consul is the trouble, not the session: the renewal loop goes on.
        }
    }

    /// <summary>Ends the session: Consul deletes the keys it holds at once.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _id, null) is { } id)
        {
            await sessions.DestroyAsync(id, cancellationToken);
        }
    }

    public void Dispose() => _create.Dispose();
}

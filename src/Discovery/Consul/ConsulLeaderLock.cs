using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Consul;

/// <summary>
/// Leader election over a Consul session lock: the contender whose session holds <see cref="LeaderLockOptions.Key"/>
/// leads. <see cref="RunAsync"/> keeps the session alive and retries; the controller asks <see cref="IsLeader"/>
/// before acting. When Consul cannot be reached the lock steps down at once: a leader that cannot prove it still
/// holds the lock must not act (the other side may already lead once the TTL runs out).
/// </summary>
public sealed partial class ConsulLeaderLock : IAsyncDisposable
{
    private readonly ConsulSessions sessions;
    private readonly ConsulKeyValueStore store;
    private readonly LeaderLockOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private string? sessionId;
    private volatile bool isLeader;

    public ConsulLeaderLock(
        ConsulSessions sessions,
        ConsulKeyValueStore store,
        LeaderLockOptions options,
        TimeProvider? timeProvider = null,
        ILogger<ConsulLeaderLock>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Key);
        ArgumentException.ThrowIfNullOrEmpty(options.Holder);
        this.sessions = sessions;
        this.store = store;
        this.options = options;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ConsulLeaderLock>.Instance;
    }

    /// <summary>True while this contender's session holds the key, as of the last successful check.</summary>
    public bool IsLeader => isLeader;

    /// <summary>
    /// The session that holds the key while <see cref="IsLeader"/>, else null. What must only be taken from the leader
    /// is held by it: the hosts check that the session holding a command is the one holding the key.
    /// </summary>
    public string? Session => isLeader ? Volatile.Read(ref sessionId) : null;

    /// <summary>One round: renew (or create) the session, then take or confirm the lock. Returns <see cref="IsLeader"/>.</summary>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (sessionId is not null && !await sessions.RenewAsync(sessionId, cancellationToken).ConfigureAwait(false))
            {
                LogSessionLost(logger, options.Key);
                sessionId = null;
            }

            sessionId ??= await sessions.CreateAsync(
                    $"bollard-leader {options.Holder}", options.SessionTtl, options.LockDelay, ConsulSessionBehavior.Release, cancellationToken)
                .ConfigureAwait(false);

            // Acquiring a key this session already holds succeeds again, so one call both takes and confirms it.
            var holds = await store.TryAcquireAsync(options.Key, sessionId, Encoding.UTF8.GetBytes(options.Holder), cancellationToken)
                .ConfigureAwait(false);
            SetLeader(holds);
        }
        catch (CatalogUnavailableException e)
        {
            LogConsulUnavailable(logger, options.Key, e.Message);
            SetLeader(false);
        }

        return isLeader;
    }

    /// <summary>Runs <see cref="TryAcquireAsync"/> every <see cref="LeaderLockOptions.RenewInterval"/> until cancelled, then releases.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await TryAcquireAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(options.RenewInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Gives up leadership: releases the key and destroys the session (no lock delay for the others).</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var session = Interlocked.Exchange(ref sessionId, null);
        SetLeader(false);
        if (session is null)
        {
            return;
        }

        try
        {
            await store.ReleaseAsync(options.Key, session, cancellationToken).ConfigureAwait(false);
            await sessions.DestroyAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (CatalogUnavailableException e)
        {
            // The session then dies by its TTL and Consul releases the key itself.
            LogConsulUnavailable(logger, options.Key, e.Message);
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);

    private void SetLeader(bool leads)
    {
        if (isLeader != leads)
        {
            isLeader = leads;
            LogLeadershipChanged(logger, options.Key, options.Holder, leads);
        }
    }
}

using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Consul;

/// <summary>
/// Leader election over a Consul session lock: the contender whose session holds <see cref="LeaderLockOptions.Key"/>
/// leads. Each round (<see cref="TryAcquireAsync"/>) reads the key and takes it only when it is free, so contenders
/// that follow write nothing; the session is renewed every <see cref="LeaderLockOptions.RenewInterval"/>. The leader
/// asks <see cref="IsLeader"/> before acting and writes what must never outlive its leadership with
/// <see cref="TryWriteAsLeaderAsync"/>, which Consul refuses once the session lost the key. When Consul cannot be
/// reached the lock steps down at once: a leader that cannot prove it still holds the lock must not act (the other
/// side may already lead once the session ended).
/// </summary>
public sealed partial class ConsulLeaderLock : IAsyncDisposable
{
    private readonly ConsulSessions sessions;
    private readonly ConsulKeyValueStore store;
    private readonly LeaderLockOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private string? sessionId;
    private long renewedAt;
    private volatile string? leaderSession;

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

    /// <summary>The key contended for.</summary>
    public string Key => options.Key;

    /// <summary>True while this contender's session holds the key, as of the last successful round.</summary>
    public bool IsLeader => leaderSession is not null;

    /// <summary>The session that holds the key while <see cref="IsLeader"/>, else null.</summary>
    public string? Session => leaderSession;

    /// <summary>
    /// One round: renew (or create) the session when due, read the key, and take it if it is free. Returns
    /// <see cref="IsLeader"/>. A key held by another session is left alone (no write); a free one may still be
    /// refused for the lock delay after its last holder's session ended.
    /// </summary>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
            var entry = await store.GetAsync(options.Key, cancellationToken).ConfigureAwait(false);
            var holds = entry?.Session == session
                || (string.IsNullOrEmpty(entry?.Session) && await TryTakeAsync(session, cancellationToken).ConfigureAwait(false));
            SetLeader(holds ? session : null);
        }
        catch (CatalogUnavailableException e)
        {
            LogConsulUnavailable(logger, options.Key, e.Message);
            SetLeader(null);
        }

        return IsLeader;
    }

    /// <summary>
    /// Takes the lock on <paramref name="key"/> with the leader's session and writes <paramref name="value"/>, only
    /// while that session still holds the leader key (one Consul transaction). False when this contender does not lead
    /// or its session lost the key meanwhile: nothing was written. The key then lives and dies with the leadership.
    /// </summary>
    /// <exception cref="CatalogUnavailableException">Consul cannot be reached.</exception>
    public async Task<bool> TryWriteAsLeaderAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        if (leaderSession is not { } session)
        {
            return false;
        }

        if (await store.TryAcquireFencedAsync(key, session, value, options.Key, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        LogFenced(logger, key, options.Key);
        SetLeader(null);
        return false;
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
        SetLeader(null);
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
            // The session then dies with its checks or its TTL and Consul releases the key itself.
            LogConsulUnavailable(logger, options.Key, e.Message);
        }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>This contender's session: renewed when due (a lost one is dropped), created when there is none.</summary>
    private async Task<string> SessionAsync(CancellationToken cancellationToken)
    {
        if (sessionId is { } current && timeProvider.GetElapsedTime(renewedAt) >= options.RenewInterval)
        {
            await RenewOrDropAsync(current, cancellationToken).ConfigureAwait(false);
        }

        if (sessionId is { } id)
        {
            return id;
        }

        id = await sessions.CreateAsync(
                $"bollard-leader {options.Holder}", options.SessionTtl, options.LockDelay, options.Behavior, options.Checks, cancellationToken)
            .ConfigureAwait(false);
        renewedAt = timeProvider.GetTimestamp();
        sessionId = id;
        return id;
    }

    private async Task RenewOrDropAsync(string session, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        if (await sessions.RenewAsync(session, cancellationToken).ConfigureAwait(false))
        {
            renewedAt = started;
            return;
        }

        LogSessionLost(logger, options.Key);
        Interlocked.CompareExchange(ref sessionId, null, session);
    }

    /// <summary>Takes the free key. Consul refuses a session that ended (an error, not a "no"): then it is dropped.</summary>
    private async Task<bool> TryTakeAsync(string session, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryAcquireAsync(options.Key, session, Encoding.UTF8.GetBytes(options.Holder), cancellationToken).ConfigureAwait(false);
        }
        catch (CatalogUnavailableException)
        {
            await RenewOrDropAsync(session, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    private void SetLeader(string? session)
    {
        var before = Interlocked.Exchange(ref leaderSession, session);
        if ((before is null) != (session is null))
        {
            LogLeadershipChanged(logger, options.Key, options.Holder, session is not null);
        }
    }
}

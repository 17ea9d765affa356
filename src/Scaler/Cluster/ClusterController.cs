using System.Threading.Channels;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Makes one agent of the cluster the controller: contends for the Consul lock <c>bollard/&lt;cluster&gt;/leader</c>
/// every <see cref="ClusterOptions.HeartbeatInterval"/> (and at once when the lock's key changes), opens the reconcile
/// gate while it holds it, and keeps the reconciler's <see cref="HostSet"/> equal to this agent's own hosts plus every
/// other host of the roster, each behind a <see cref="RemoteHostRuntime"/> and a <see cref="RemoteRegistrar"/>. A new
/// controller starts from what the hosts report (passes are level-triggered).
/// </summary>
/// <remarks>
/// The lock's session is bound to this agent's liveness check (<see cref="AgentHeartbeat"/>) and the node's
/// <c>serfHealth</c>, so a dead controller's session ends within <see cref="ClusterOptions.AliveTtl"/> of its last
/// heartbeat, and after the lock delay another agent takes over. Each round that confirms the lock gives the gate a
/// lease that ends before that session can end (<see cref="LeaseEnd"/>): a controller frozen or cut off stops acting
/// before anyone else may start, and its commands are fenced on the lock by Consul itself.
/// </remarks>
internal sealed partial class ClusterController(
    ConsulLeaderLock leaderLock,
    LeaderGate gate,
    ClusterHostsWatch roster,
    LocalHosts local,
    HostSet hosts,
    HostCommandClient commands,
    ReconcileLoop loop,
    IEnumerable<IControllerState> state,
    AgentHeartbeat heartbeat,
    ConsulKeyValueWatch watch,
    IHostApplicationLifetime lifetime,
    IOptions<ClusterOptions> options,
    LoopHealth health,
    IOptions<Docker.DockerOptions> docker,
    TimeProvider time,
    ILogger<ClusterController> logger) : SupervisedBackgroundService("cluster-controller", health)
{
    private readonly Dictionary<string, ManagedHost> _remote = new(StringComparer.Ordinal);

    // One pending wake-up is enough: a round reads the lock afresh.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // Steps down as soon as the agent starts stopping, before its balancer drains: another agent leads within a
        // second instead of after the drain.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var token = stopping.Token;
        roster.Changed += OnRosterChanged;
        var watching = roster.RunAsync(token);
        var lockWatch = WatchLockAsync(token);
        try
        {
            // Contend only once the other hosts are known: a first pass without them would place everything here.
            await WaitForFirstReadingAsync(token);
            while (!token.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                var leads = await DecideLeadershipAsync(token);
                if (leads ? gate.Open(LeaseEnd(started)) : gate.Close())
                {
                    LogControllerChanged(options.Value.Agent, leads);
                    loop.Wake();
                }

                await WakeOrTimeout.WaitAsync(_wake.Reader, options.Value.HeartbeatInterval, time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            roster.Changed -= OnRosterChanged;
            gate.Close();
            await ReleaseAsync();
            await stopping.CancelAsync();
            await watching;
            await lockWatch;
        }
    }

    /// <summary>
    /// Until when this controller may act after a round that began at <paramref name="started"/> and confirmed the
    /// lock. Its session ends at the earliest when its liveness check turns critical, <see cref="ClusterOptions.AliveTtl"/>
    /// after the last heartbeat Consul acknowledged, or when the node fails (seconds of missed gossip, which also
    /// stops the rounds answering): the lease ends one heartbeat before the first, and
    /// <see cref="ClusterOptions.LeaseLength"/> after the round, so rounds that stop answering stop the passes too.
    /// Another agent can lead only a lock delay after the session ended.
    /// </summary>
    private long LeaseEnd(long started)
    {
        var lease = options.Value.LeaseLength;
        var byRound = started + Ticks(lease);
        return heartbeat.LastPass is { } pass ? Math.Min(byRound, pass + Ticks(lease)) : started;
    }

    /// <summary>
    /// Releases the lock so that another agent leads at once; waits no longer than the liveness TTL for Consul (after
    /// that the session ends with the liveness check anyway, and a stopping agent must not hang on a slow Consul).
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var bound = new CancellationTokenSource(options.Value.AliveTtl, time);
        try
        {
            await leaderLock.ReleaseAsync(bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            LogReleaseSlow(options.Value.AliveTtl.TotalSeconds);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    /// <summary>Wakes a round as soon as the lock's key changes: released by a controller that stops, or its session ended.</summary>
    private async Task WatchLockAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in watch.WatchPrefixAsync(leaderLock.Key, cancellationToken))
            {
                _wake.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>
    /// One round: take or keep the lock, follow the shared state. Anything unexpected counts as not leading this round:
    /// a controller that cannot tell whether it leads must not act (another agent may), and tries again next round.
    /// </summary>
    private async Task<bool> DecideLeadershipAsync(CancellationToken stoppingToken)
    {
        try
        {
            roster.Expire();

            // The lock's session is bound to the liveness check: none can be made before the check is registered.
            var leads = heartbeat.Registered.IsCompleted
                && await leaderLock.TryAcquireAsync(stoppingToken)
                && await FollowStateAsync(takingOver: !gate.IsOpen, stoppingToken);
            if (leads)
            {
                SyncHosts();
            }

            if (Status.Succeeded() is > 0 and var failures)
            {
                LogRoundsWorkAgain(failures);
            }

            return leads;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (Status.Failed(e))
            {
                LogRoundFailed(e);
            }

            return false;
        }
    }

    private async Task WaitForFirstReadingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await roster.FirstReading.WaitAsync(options.Value.StaleAfter, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Consul does not answer the watch: the lock will not be won either; contend anyway and let it decide.
        }
    }

    /// <summary>
    /// Reads the shared state again: all of it when taking over, the applied specs when they moved while leading.
    /// False when a takeover cannot read it: acting on what this agent last knew could undo what another controller did.
    /// </summary>
    private async Task<bool> FollowStateAsync(bool takingOver, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var s in state)
            {
                await (takingOver ? s.TakeOverAsync(cancellationToken) : s.RefreshAsync(cancellationToken));
            }

            return true;
        }
        catch (State.StateStoreUnavailableException e)
        {
            LogStateUnreadable(e.Message);
            return !takingOver;
        }
    }

    private void OnRosterChanged()
    {
        if (gate.IsOpen)
        {
            SyncHosts();
            loop.Wake();
        }
    }

    /// <summary>This agent's hosts, then the others of the roster (a host name this agent has itself stays its own).</summary>
    private void SyncHosts()
    {
        lock (_remote)
        {
            var own = local.Hosts.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
            var entries = roster.Roster.Entries.Where(e => !own.Contains(e.Key)).ToList();
            foreach (var gone in _remote.Keys.Except(entries.Select(e => e.Key)).ToList())
            {
                _remote.Remove(gone);
            }

            foreach (var (name, entry) in entries)
            {
                var report = entry.Report;
                if (!_remote.TryGetValue(name, out var known) || known.Zone != report.Zone || known.PublishAddress != report.PublishAddress || known.AdvertiseAddress != report.AdvertiseAddress)
                {
                    _remote[name] = new ManagedHost(name, report.Zone, report.PublishAddress, report.AdvertiseAddress, new RemoteHostRuntime(name, roster, commands, options, docker.Value.PullTimeout, time))
                    {
                        Registrar = new RemoteRegistrar(name, commands, options),
                    };
                }
            }

            hosts.Replace([.. local.Hosts, .. _remote.Values.OrderBy(h => h.Name, StringComparer.Ordinal)]);
        }
    }

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "The desired state cannot be read from the state store; a new controller waits for it: {Error}")]
    private partial void LogStateUnreadable(string error);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Error, Message = "A leadership round failed; this agent does not act as the controller until a round works")]
    private partial void LogRoundFailed(Exception error);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Information, Message = "Leadership rounds work again after {Failures} failed")]
    private partial void LogRoundsWorkAgain(int failures);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Warning, Message = "Consul did not take the controller lock back within {Seconds:0.#} s; it passes to another agent when this agent's session ends")]
    private partial void LogReleaseSlow(double seconds);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Agent {Agent} controls the cluster: {Leads}")]
    private partial void LogControllerChanged(string agent, bool leads);
}

using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Makes one agent of the cluster the controller: contends for the Consul lock <c>bollard/&lt;cluster&gt;/leader</c>,
/// opens the reconcile gate while it holds it, and keeps the reconciler's <see cref="HostSet"/> equal to this agent's
/// own hosts plus every other host of the roster, each behind a <see cref="RemoteHostRuntime"/> and a
/// <see cref="RemoteRegistrar"/>. A new controller starts from what the hosts report (passes are level-triggered).
/// </summary>
internal sealed partial class ClusterController(
    ConsulLeaderLock leaderLock,
    LeaderGate gate,
    ClusterHostsWatch roster,
    LocalHosts local,
    HostSet hosts,
    HostCommandClient commands,
    ReconcileLoop loop,
    IEnumerable<IControllerState> state,
    IOptions<ClusterOptions> options,
    LoopHealth health,
    IOptions<Docker.DockerOptions> docker,
    TimeProvider time,
    ILogger<ClusterController> logger) : SupervisedBackgroundService("cluster-controller", health)
{
    private readonly Dictionary<string, ManagedHost> _remote = new(StringComparer.Ordinal);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        roster.Changed += OnRosterChanged;
        var watching = roster.RunAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.LeaderSessionTtl / 3, time);
        try
        {
            // Contend only once the other hosts are known: a first pass without them would place everything here.
            await WaitForFirstReadingAsync(stoppingToken);
            do
            {
                var leads = await DecideLeadershipAsync(stoppingToken);
                if (gate.Set(leads))
                {
                    LogControllerChanged(options.Value.Agent, leads);
                    loop.Wake();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            roster.Changed -= OnRosterChanged;
            gate.Set(false);
            await leaderLock.ReleaseAsync(CancellationToken.None);
            await watching;
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
            var leads = await leaderLock.TryAcquireAsync(stoppingToken) && await FollowStateAsync(takingOver: !gate.IsOpen, stoppingToken);
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

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Agent {Agent} controls the cluster: {Leads}")]
    private partial void LogControllerChanged(string agent, bool leads);
}

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Timings of cluster mode (<c>controller: cluster</c>). The defaults suit a LAN: a dead agent is noticed within
/// <see cref="AliveTtl"/> of its last heartbeat (its sessions are bound to its liveness check), a hung one within
/// <see cref="StaleAfter"/>; a dead controller is replaced within about <see cref="AliveTtl"/> + <see cref="LeaderLockDelay"/>
/// + <see cref="HeartbeatInterval"/> (6 s).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Who this agent is, in host reports and as the controller lock's holder.</summary>
    public string Agent { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// How often this agent passes its liveness check in its Consul agent (a TTL check of its own), and how often it
    /// contends for, or confirms, the controller lock.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// TTL of the liveness check: an agent that has not passed it for this long (dead, frozen, or cut off from its
    /// Consul agent) is critical, and its sessions (the controller lock's, its host reports') end with it.
    /// </summary>
    public TimeSpan AliveTtl { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// TTL of the agent's session, which holds its host reports (10 s to 24 h: Consul's bounds). A backstop: the session
    /// is bound to the liveness check, which ends it sooner.
    /// </summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a host report is published when nothing changed (a Docker event publishes at once).</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often an agent publishes the load its balancer sees (for the controller's autoscaler), while there is
    /// any. Short: the controller's view of the other balancers lags by up to this much.
    /// </summary>
    public TimeSpan TrafficInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A host whose report has not moved for this long is treated as unreachable by the controller.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A host whose report vanished is kept as unreachable this long (scale-in of what it ran stays frozen), then
    /// forgotten, as a host that left the cluster.
    /// </summary>
    public TimeSpan ForgetHostAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the controller waits for a host's agent to answer a command (plus the grace period of a stop).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an agent that is not the controller waits for the controller to take and answer a rollout command sent
    /// through it; a command no controller took by then is withdrawn (nothing changed, the caller gets 503).
    /// </summary>
    public TimeSpan ControllerRequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// TTL of the controller lock's session, a backstop: the session is bound to the liveness check (and the node's
    /// <c>serfHealth</c>), which end it within <see cref="AliveTtl"/>; the TTL ends it when the lock rounds hang while
    /// the heartbeat goes on.
    /// </summary>
    public TimeSpan LeaderSessionTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// After a controller's session ended, nobody may take the lock for this long: time for what the old controller
    /// had under way when its lease ran out (<see cref="LeaseLength"/>) to land before a new one observes (0 to 60 s).
    /// </summary>
    public TimeSpan LeaderLockDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after a round that confirmed the lock (and after the heartbeat before it) the controller may still act:
    /// one heartbeat short of <see cref="AliveTtl"/>, so it stops before its liveness check can turn critical and its
    /// session end.
    /// </summary>
    public TimeSpan LeaseLength => AliveTtl - HeartbeatInterval;

    /// <summary>The problems with these settings, each naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Agent))
        {
            errors.Add("Cluster Agent must name this agent.");
        }

        foreach (var (name, ttl) in new[] { (nameof(SessionTtl), SessionTtl), (nameof(LeaderSessionTtl), LeaderSessionTtl) })
        {
            if (ttl < TimeSpan.FromSeconds(10) || ttl > TimeSpan.FromHours(24))
            {
                errors.Add($"Cluster {name} must be within [10 s, 24 h] (Consul's session bounds); got {ttl}.");
            }
        }

        foreach (var (name, value) in new[] { (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(PublishInterval), PublishInterval), (nameof(TrafficInterval), TrafficInterval), (nameof(CommandTimeout), CommandTimeout), (nameof(ForgetHostAfter), ForgetHostAfter), (nameof(ControllerRequestTimeout), ControllerRequestTimeout) })
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"Cluster {name} must be positive; got {value}.");
            }
        }

        if (StaleAfter <= PublishInterval * 2)
        {
            errors.Add($"Cluster StaleAfter ({StaleAfter}) must exceed twice PublishInterval ({PublishInterval}): one late report must not make a host unreachable.");
        }

        if (AliveTtl < HeartbeatInterval * 2 || AliveTtl < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Cluster AliveTtl ({AliveTtl}) must be at least 1 s and twice HeartbeatInterval ({HeartbeatInterval}): one late heartbeat must not end the agent's sessions.");
        }

        if (LeaderLockDelay < TimeSpan.Zero || LeaderLockDelay > TimeSpan.FromSeconds(60))
        {
            errors.Add($"Cluster LeaderLockDelay must be within [0, 60 s] (Consul's bound); got {LeaderLockDelay}.");
        }

        return errors;
    }
}

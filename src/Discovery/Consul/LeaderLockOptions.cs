namespace Bollard.Discovery.Consul;

/// <summary>Settings of one <see cref="ConsulLeaderLock"/>.</summary>
public sealed class LeaderLockOptions
{
    /// <summary>The KV key all contenders lock (for a cluster: <see cref="ClusterKeys.Leader"/>).</summary>
    public required string Key { get; set; }

    /// <summary>Who this contender is (written as the key's value while it leads, for operators to see).</summary>
    public string Holder { get; set; } = Environment.MachineName;

    /// <summary>
    /// Session TTL: a leader that stops renewing loses the lock after this (up to twice this in Consul). With
    /// <see cref="Checks"/> bound to a check of the process itself, a backstop only (a process whose lock rounds hang
    /// while its heartbeat goes on).
    /// </summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After a leader's session dies, nobody may lead for this long, so the old one can notice first.</summary>
    public TimeSpan LockDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The health checks the session dies with (ids on the local agent's node), e.g. <c>serfHealth</c> and a TTL check
    /// the process passes itself (<see cref="ConsulTtlCheck"/>); null: Consul's default, <c>serfHealth</c> alone.
    /// </summary>
    public IReadOnlyList<string>? Checks { get; set; }

    /// <summary>What Consul does with the keys the session holds when it dies: release them, or delete them.</summary>
    public ConsulSessionBehavior Behavior { get; set; } = ConsulSessionBehavior.Release;

    /// <summary>How often <see cref="ConsulLeaderLock.RunAsync"/> renews and retries, and how often a round renews the session: a third of the TTL.</summary>
    public TimeSpan RenewInterval => SessionTtl / 3;
}

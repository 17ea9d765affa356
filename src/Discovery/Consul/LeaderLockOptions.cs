namespace Bollard.Discovery.Consul;

/// <summary>Settings of one <see cref="ConsulLeaderLock"/>.</summary>
public sealed class LeaderLockOptions
{
    /// <summary>The KV key all contenders lock, e.g. "bollard/leader".</summary>
    public string Key { get; set; } = "bollard/leader";

    /// <summary>Who this contender is (written as the key's value while it leads, for operators to see).</summary>
    public string Holder { get; set; } = Environment.MachineName;

    /// <summary>Session TTL: a leader that stops renewing loses the lock after this (up to twice this in Consul).</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After a leader's session dies, nobody may lead for this long, so the old one can notice first.</summary>
    public TimeSpan LockDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often <see cref="ConsulLeaderLock.RunAsync"/> renews and retries: a third of the TTL.</summary>
    public TimeSpan RenewInterval => SessionTtl / 3;
}

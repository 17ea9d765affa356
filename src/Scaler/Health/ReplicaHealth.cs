namespace Bollard.Scaler.Health;

/// <summary>What the scaler has seen of one replica's health checks. Immutable; each probe gives a new value.</summary>
/// <param name="EverPassed">True once any check has passed: the replica has finished starting.</param>
/// <param name="ConsecutiveFailures">Failed checks since the last pass.</param>
public sealed record ReplicaHealth(bool EverPassed, int ConsecutiveFailures)
{
    public static readonly ReplicaHealth Unknown = new(false, 0);

    /// <summary>The last check passed. Shared: every pass records a probe of every replica, mostly this one.</summary>
    public static readonly ReplicaHealth Healthy = new(true, 0);

    /// <summary>The last check passed.</summary>
    public bool Passing => EverPassed && ConsecutiveFailures == 0;

    public ReplicaHealth After(bool passed) =>
        passed ? Healthy : this with { ConsecutiveFailures = ConsecutiveFailures + 1 };
}

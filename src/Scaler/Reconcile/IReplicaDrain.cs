namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Waits until a replica that left the catalog has no request in flight. The balancer in this process knows; without
/// it the whole drain timeout is waited out (<see cref="TimedDrain"/>).
/// </summary>
public interface IReplicaDrain
{
    /// <summary>Completes when the instance has drained, or after <paramref name="maxWait"/>.</summary>
    Task WaitAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken);
}

/// <summary>Waits the whole drain timeout: the safe choice when nobody can say the replica is idle.</summary>
public sealed class TimedDrain(TimeProvider time) : IReplicaDrain
{
    public Task WaitAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken) =>
        maxWait > TimeSpan.Zero ? Task.Delay(maxWait, time, cancellationToken) : Task.CompletedTask;
}

/// <summary>
/// The drain of this process's own balancer, which also tells which replicas it is forwarding requests to right now:
/// in cluster mode every agent publishes that, and the controller's drain waits for every balancer.
/// </summary>
public interface ILocalDrain : IReplicaDrain
{
    /// <summary>The replicas (instance ids) with a request in flight through this balancer now.</summary>
    IReadOnlyList<string> Busy();
}

namespace Bollard.Balancer.Draining;

/// <summary>
/// Tells the scaler when a replica it is removing has drained from this balancer, so that stopping it cuts no
/// request short. Order of use: take the replica out of the catalog (so routing drops it and it gets no new
/// requests), then wait here, then stop the container.
/// </summary>
public interface IDrainMonitor
{
    /// <summary>
    /// Completes with true once the replica <paramref name="instanceId"/> (the catalog instance id) is out of this
    /// balancer's routing and has no request in flight; with false when that has not happened within
    /// <paramref name="maxWait"/>. A replica this balancer never routed to is drained at once.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<bool> WaitUntilDrainedAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Requests this balancer is forwarding to <paramref name="instanceId"/> right now.</summary>
    int InFlight(string instanceId);

    /// <summary>The replicas (instance ids) this balancer is forwarding at least one request to right now.</summary>
    IReadOnlyList<string> Busy();
}

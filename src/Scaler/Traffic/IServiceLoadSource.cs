using Bollard.Scaler.Autoscaling;

namespace Bollard.Scaler.Traffic;

/// <summary>
/// Live load of a service, for the autoscaler: the balancer's rolling window (requests/s, in flight, p95) and, when
/// asked for, the replicas' CPU. The host adapts the balancer to this port; tests give a fixed or scripted load.
/// </summary>
public interface IServiceLoadSource
{
    /// <summary>The service's load now, or null when nothing is known (never guessed).</summary>
    ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken);
}

/// <summary>The load source when no balancer runs in this process: nothing is known, so nothing scales on load.</summary>
public sealed class NoLoadSource : IServiceLoadSource
{
    public ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken) => ValueTask.FromResult<LoadSnapshot?>(null);
}

/// <summary>
/// The load seen by this process's own balancer alone. Usually it is also the <see cref="IServiceLoadSource"/>; in
/// cluster mode the controller adds the load the other agents' balancers publish, and every agent publishes this one.
/// </summary>
public interface ILocalLoadSource : IServiceLoadSource;

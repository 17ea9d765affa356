using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The autoscaler's load in cluster mode: this agent's own balancer plus what the other agents' balancers publish
/// (<see cref="ClusterTraffic"/>), so that rps, inflight and p95 cover every balancer, not the controller's share.
/// </summary>
public sealed class ClusterLoadSource(ClusterTraffic traffic, TimeProvider time, ILocalLoadSource? local = null) : IServiceLoadSource
{
    public async ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken)
    {
        var own = local is null ? null : await local.ReadAsync(service, replicas, cancellationToken);
        return ClusterLoad.Combine(own, traffic.Remote(service), replicas, time.GetUtcNow());
    }
}

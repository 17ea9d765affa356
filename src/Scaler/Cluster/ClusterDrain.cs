using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The controller's drain in cluster mode: a removed replica may still have requests in flight through any agent's
/// balancer, not only the controller's. It is drained once this agent's balancer has drained it and every other
/// agent's last traffic report says the agent has no request to it (<see cref="TrafficRoster.OthersDrained"/>), or
/// when the drain timeout ends.
/// </summary>
public sealed class ClusterDrain(ClusterTraffic traffic, IOptions<ClusterOptions> options, TimeProvider time, ILocalDrain? local = null) : IReplicaDrain
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a catalog change may take to reach the other balancers' routing (tens of ms as measured).</summary>
    private static readonly TimeSpan PropagationMargin = TimeSpan.FromMilliseconds(500);

    public async Task WaitAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();

        // The replica has just left the catalog; the other balancers drop it from routing within a fraction of a
        // second. A report read a publication interval (and a margin for that) later was published after that, so a
        // request it does not list cannot start any more.
        var since = time.GetUtcNow() + options.Value.TrafficInterval + PropagationMargin;
        if (local is not null)
        {
            await local.WaitAsync(instanceId, maxWait, cancellationToken);
        }

        while (!traffic.OthersDrained(instanceId, since) && time.GetElapsedTime(started) < maxWait)
        {
            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}

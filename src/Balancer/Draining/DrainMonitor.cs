using Yarp.ReverseProxy;

namespace Bollard.Balancer.Draining;

/// <summary>
/// Waits until a replica is out of YARP's live config and its last request has finished. The finish is signalled
/// by the tracker; leaving the config is not signalled to this class, so it is re-checked every
/// <see cref="RecheckInterval"/> (on the TimeProvider) while the replica is still routed.
/// </summary>
internal sealed class DrainMonitor(InFlightTracker tracker, IProxyStateLookup proxyState, TimeProvider time) : IDrainMonitor
{
    /// <summary>How often a wait re-checks whether routing has dropped the replica yet.</summary>
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(50);

    public IReadOnlyList<string> Busy() => tracker.Busy();

    public int InFlight(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return tracker.InFlight(instanceId);
    }

    public async Task<bool> WaitUntilDrainedAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);

        using var deadline = new CancellationTokenSource(maxWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            while (true)
            {
                var routed = IsRouted(instanceId);
                if (!routed && tracker.InFlight(instanceId) == 0)
                {
                    return true;
                }

                if (routed)
                {
                    // Still in the config: new requests may arrive, so being idle now proves nothing yet.
                    await Task.Delay(RecheckInterval, time, linked.Token);
                }
                else
                {
                    await tracker.WhenIdle(instanceId).WaitAsync(linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private bool IsRouted(string instanceId)
    {
        foreach (var cluster in proxyState.GetClusters())
        {
            if (cluster.Destinations.ContainsKey(instanceId))
            {
                return true;
            }
        }

        return false;
    }
}

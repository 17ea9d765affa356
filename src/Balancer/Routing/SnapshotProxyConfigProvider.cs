using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Feeds YARP from the current <see cref="RoutingSnapshot"/>. The published config is immutable and lives in a
/// volatile field: readers take it without locks, a publish swaps it atomically and only then cancels the old
/// change token, so YARP never sees a token fire before the new config is readable.
/// </summary>
internal sealed class SnapshotProxyConfigProvider : IProxyConfigProvider
{
    private readonly Lock _publishLock = new();
    private volatile SnapshotProxyConfig _config = new(RoutingSnapshot.Empty, revision: 0);

    public IProxyConfig GetConfig() => _config;

    /// <summary>The snapshot YARP currently serves.</summary>
    public RoutingSnapshot Snapshot => _config.Snapshot;

    /// <summary>How many times a changed snapshot was published (0 until the first one).</summary>
    public long Revision => _config.Revision;

    /// <summary>Publishes <paramref name="snapshot"/> unless it equals the current one.</summary>
    /// <returns>True when it was published.</returns>
    public bool Publish(RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);

        SnapshotProxyConfig previous;
        lock (_publishLock)
        {
            // The lock only makes compare-and-swap atomic between publishers; readers never take it.
            var current = _config;
            if (current.Snapshot.Equals(snapshot))
            {
                return false;
            }

            previous = Interlocked.Exchange(ref _config, new SnapshotProxyConfig(snapshot, current.Revision + 1));
        }

        previous.SignalChange();
        return true;
    }

    /// <summary>
    /// Publishes the current snapshot again as a new config, so that YARP runs its config filters over it again
    /// (after a change of the balancer's settings: health checks, timeouts, the forwarder's clients).
    /// </summary>
    public void Republish()
    {
        SnapshotProxyConfig previous;
        lock (_publishLock)
        {
            var current = _config;
            previous = Interlocked.Exchange(ref _config, new SnapshotProxyConfig(current.Snapshot, current.Revision + 1));
        }

        previous.SignalChange();
    }

    // Not disposable on purpose (as YARP's own in-memory config): YARP may still register on a stale config's token,
    // and a cancelled source holds no timer or handle that would leak.
#pragma warning disable CA1001
    private sealed class SnapshotProxyConfig : IProxyConfig
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource _changed = new();

        public SnapshotProxyConfig(RoutingSnapshot snapshot, long revision)
        {
            Snapshot = snapshot;
            Revision = revision;
            Routes = RoutingSnapshotBuilder.ToRoutes(snapshot);
            Clusters = RoutingSnapshotBuilder.ToClusters(snapshot);
            ChangeToken = new CancellationChangeToken(_changed.Token);
        }

        public RoutingSnapshot Snapshot { get; }

        public long Revision { get; }

        public string RevisionId => Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public IReadOnlyList<RouteConfig> Routes { get; }

        public IReadOnlyList<ClusterConfig> Clusters { get; }

        public IChangeToken ChangeToken { get; }

        public void SignalChange() => _changed.Cancel();
    }
}

namespace Bollard.Balancer.Routing;

internal sealed partial class CatalogRoutingWatcher
{
    /// <summary>
    /// Publishes the snapshot saved by the last run, if any, before the first catalog answer: a balancer restarted
    /// during a catalog outage then routes to the replicas it knew. Each service's first real catalog answer replaces
    /// its saved destinations (see <see cref="RoutingSnapshotBuilder.Build(IReadOnlyList{ServiceRoute}, IReadOnlyDictionary{string, Discovery.ServiceSnapshot}, IReadOnlyDictionary{string, Weights.VersionWeights}?, RoutingSnapshot, DateTimeOffset)"/>).
    /// An unreadable file is logged and ignored: it must never stop the balancer.
    /// </summary>
    internal void LoadSavedSnapshot()
    {
        if (_options.SnapshotFile is not { } path)
        {
            return;
        }

        try
        {
            if (RoutingSnapshotFile.Read(path) is { } saved && _provider.Publish(saved))
            {
                Log.SnapshotLoaded(_logger, path, saved.Services.Length, saved.Services.Sum(s => s.Destinations.Length));
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Log.SnapshotUnreadable(_logger, path, e.Message);
        }
    }
}

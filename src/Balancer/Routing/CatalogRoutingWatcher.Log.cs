using Microsoft.Extensions.Logging;

namespace Bollard.Balancer.Routing;

internal sealed partial class CatalogRoutingWatcher
{
    /// <summary>Logs what a publish changed, per service, as instance ids (never the whole table).</summary>
    private void LogChanges(RoutingSnapshot previous, RoutingSnapshot next)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (var change in RoutingChange.Between(previous, next))
        {
            var count = next.Find(change.Service)?.Destinations.Length ?? 0;
            switch (change.Kind)
            {
                case RoutingChangeKind.RouteAdded:
                    Log.ServiceAdded(_logger, change.Service, count, string.Join(", ", change.Added));
                    break;
                case RoutingChangeKind.RouteRemoved:
                    Log.ServiceRemoved(_logger, change.Service, string.Join(", ", change.Removed));
                    break;
                default:
                    Log.DestinationsChanged(
                        _logger, change.Service, string.Join(", ", change.Added), string.Join(", ", change.Removed), count, change.RouteChanged);
                    break;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Routing {Service}: +[{Added}] -[{Removed}], {Count} destinations now (route changed: {RouteChanged}).")]
        public static partial void DestinationsChanged(ILogger logger, string service, string added, string removed, int count, bool routeChanged);

        [LoggerMessage(2, LogLevel.Information, "Routing {Service}: new route, {Count} destinations [{Added}].")]
        public static partial void ServiceAdded(ILogger logger, string service, int count, string added);

        [LoggerMessage(3, LogLevel.Information, "Routing {Service}: route removed, destinations dropped [{Removed}].")]
        public static partial void ServiceRemoved(ILogger logger, string service, string removed);

        [LoggerMessage(4, LogLevel.Warning, "Catalog watch for {Service} failed; keeping its last known destinations and retrying in {RetryDelay}.")]
        public static partial void WatchFailed(ILogger logger, string service, TimeSpan retryDelay, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Catalog watch for {Service} ended unexpectedly; keeping its last known destinations and retrying in {RetryDelay}.")]
        public static partial void WatchEnded(ILogger logger, string service, TimeSpan retryDelay);

        [LoggerMessage(6, LogLevel.Error, "Routing was not rebuilt, the last good snapshot stays in service.")]
        public static partial void RebuildFailed(ILogger logger, Exception exception);

        [LoggerMessage(7, LogLevel.Information, "Routing from the saved snapshot {Path} until the catalog answers: {Services} services, {Destinations} destinations.")]
        public static partial void SnapshotLoaded(ILogger logger, string path, int services, int destinations);

        [LoggerMessage(8, LogLevel.Warning, "Ignoring the saved routing snapshot {Path}: {Reason}")]
        public static partial void SnapshotUnreadable(ILogger logger, string path, string reason);
    }
}

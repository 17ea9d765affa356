using Bollard.Balancer.Routing;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Deleting the series of versions and services the balancer no longer routes: a version rolled out a month ago must
/// not stay in every scrape. A version (or a whole service) is deleted once it has been out of the routing snapshot
/// for <see cref="RetentionGrace"/>, longer than any drain, so the last requests of a removed replica are still counted.
/// </summary>
internal sealed partial class BalancerMetrics
{
    public static readonly TimeSpan RetentionGrace = TimeSpan.FromMinutes(5);

    private static readonly string[] RetryReasons = ["connect", "connection", "timeout", "unavailable", "none"];

    // When each service (version None) and each service version was last in a snapshot.
    private readonly Dictionary<(string Service, string Version), DateTimeOffset> _lastRouted = [];
    private readonly Lock _retention = new();

    /// <summary>Notes what <paramref name="snapshot"/> routes and deletes what has not been routed for the grace period.</summary>
    public void Retain(RoutingSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_retention)
        {
            foreach (var routing in snapshot.Services)
            {
                _lastRouted[(routing.Service, None)] = now;
                foreach (var destination in routing.Destinations)
                {
                    _lastRouted[(routing.Service, LabelOf(destination.Version))] = now;
                }
            }

            var services = _inFlightByService.Keys.Concat(_requestsBySeries.Keys.Select(k => k.Service)).Distinct(StringComparer.Ordinal).ToList();
            foreach (var service in services.Where(s => Expired((s, None), now)))
            {
                ForgetService(service);
            }

            var versions = _requestsBySeries.Keys.Select(k => (k.Service, k.Version)).Concat(_durationBySeries.Keys).Distinct().ToList();
            foreach (var (service, version) in versions.Where(v => v.Version is not (None or Unknown) && Expired(v, now)))
            {
                ForgetVersion(service, version);
            }
        }
    }

    /// <summary>Whether the key was last routed more than the grace period ago; a key seen for the first time starts its clock now.</summary>
    private bool Expired((string Service, string Version) key, DateTimeOffset now)
    {
        if (!_lastRouted.TryGetValue(key, out var last))
        {
            _lastRouted[key] = now;
            return false;
        }

        return now - last > RetentionGrace;
    }

    private void ForgetService(string service)
    {
        foreach (var version in _requestsBySeries.Keys.Where(k => k.Service == service).Select(k => k.Version).Concat(_durationBySeries.Keys.Where(k => k.Service == service).Select(k => k.Version)).Distinct().ToList())
        {
            ForgetVersion(service, version);
        }

        if (_inFlightByService.TryRemove(service, out var inFlight))
        {
            inFlight.Remove();
        }

        _ejections.RemoveLabelled(service);
        _retriesDenied.RemoveLabelled(service);
        _shed.RemoveLabelled(service);
        foreach (var reason in RetryReasons)
        {
            _retries.RemoveLabelled(service, reason);
        }

        foreach (var key in _lastRouted.Keys.Where(k => k.Service == service).ToList())
        {
            _lastRouted.Remove(key);
        }
    }

    private void ForgetVersion(string service, string version)
    {
        foreach (var key in _requestsBySeries.Keys.Where(k => k.Service == service && k.Version == version).ToList())
        {
            if (_requestsBySeries.TryRemove(key, out var child))
            {
                child.Remove();
            }
        }

        if (_durationBySeries.TryRemove((service, version), out var duration))
        {
            duration.Remove();
        }

        _lastRouted.Remove((service, version));
    }
}

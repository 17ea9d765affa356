using System.Collections.Immutable;
using Prometheus;

namespace Bollard.Scaler.Reconcile;

/// <summary>Prometheus gauges of the scaler: desired and live replicas per service (no per-container series).</summary>
internal static class ScalerMetrics
{
    private static readonly Gauge Desired = Metrics.CreateGauge(
        "bollard_scaler_desired_replicas", "Replicas the spec asks for, per service.", "service");

    private static readonly Gauge Live = Metrics.CreateGauge(
        "bollard_scaler_live_replicas", "Running replicas of the current version on this host, per service.", "service");

    private static readonly Gauge Healthy = Metrics.CreateGauge(
        "bollard_scaler_healthy_replicas", "Live replicas whose last health check passed, per service.", "service");

    private static readonly Gauge DesiredPerZone = Metrics.CreateGauge(
        "bollard_scaler_zone_desired_replicas", "Replicas placement wants in each zone, per service.", "service", "zone");

    private static readonly Gauge HealthyPerZone = Metrics.CreateGauge(
        "bollard_scaler_zone_healthy_replicas", "Healthy replicas in each zone, per service.", "service", "zone");

    // What each service's gauges were last set to. A pass publishes every service, but counts rarely change: setting
    // only the changed ones saves a labelled lookup (and its label array) per gauge and service on every pass.
    // Process-wide like the gauges themselves; a service published by two reconcilers keeps last-writer-wins.
    private static readonly Dictionary<string, ServiceCount> Published = new(StringComparer.Ordinal);

    public static void Publish(IEnumerable<ServiceCount> counts)
    {
        lock (Published)
        {
            foreach (var count in counts)
            {
                if (Published.TryGetValue(count.Service, out var last) && SameNumbers(last, count))
                {
                    continue;
                }

                Set(count, last);
                Published[count.Service] = count;
            }
        }
    }

    private static bool SameNumbers(ServiceCount a, ServiceCount b) =>
        a.Desired == b.Desired && a.Live == b.Live && a.Healthy == b.Healthy
        && SameCounts(a.DesiredPerZone, b.DesiredPerZone) && SameCounts(a.HealthyPerZone, b.HealthyPerZone);

    private static bool SameCounts(ImmutableSortedDictionary<string, int> a, ImmutableSortedDictionary<string, int> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="last">What was published before, so a zone that is gone from both counts is set to 0, not left
    /// at its last value.</param>
    private static void Set(ServiceCount count, ServiceCount? last)
    {
        Desired.WithLabels(count.Service).Set(count.Desired);
        Live.WithLabels(count.Service).Set(count.Live);
        Healthy.WithLabels(count.Service).Set(count.Healthy);

        // Zones are few and fixed by the hosts' config, so the label stays bounded.
        var zones = count.DesiredPerZone.Keys.Union(count.HealthyPerZone.Keys);
        if (last is not null)
        {
            zones = zones.Union(last.DesiredPerZone.Keys).Union(last.HealthyPerZone.Keys);
        }

        foreach (var zone in zones)
        {
            DesiredPerZone.WithLabels(count.Service, zone).Set(count.DesiredPerZone.GetValueOrDefault(zone));
            HealthyPerZone.WithLabels(count.Service, zone).Set(count.HealthyPerZone.GetValueOrDefault(zone));
        }
    }
}

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

    public static void Publish(IEnumerable<ServiceCount> counts)
    {
        foreach (var count in counts)
        {
            Desired.WithLabels(count.Service).Set(count.Desired);
            Live.WithLabels(count.Service).Set(count.Live);
            Healthy.WithLabels(count.Service).Set(count.Healthy);

            // Zones are few and fixed by the hosts' config, so the label stays bounded.
            foreach (var zone in count.DesiredPerZone.Keys.Union(count.HealthyPerZone.Keys))
            {
                DesiredPerZone.WithLabels(count.Service, zone).Set(count.DesiredPerZone.GetValueOrDefault(zone));
                HealthyPerZone.WithLabels(count.Service, zone).Set(count.HealthyPerZone.GetValueOrDefault(zone));
            }
        }
    }
}

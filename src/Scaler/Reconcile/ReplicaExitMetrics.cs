using Prometheus;

namespace Bollard.Scaler.Reconcile;

/// <summary>The replicas that failed and were replaced, by service, version and reason (a fixed set, see <see cref="ReplicaFailure.Kind"/>).</summary>
internal static class ReplicaExitMetrics
{
    private static readonly Counter Exits = Prometheus.Metrics.CreateCounter(
        "bollard_replica_exits_total",
        "Replicas removed for failing, by service, version and reason (oom-killed, signal, error, completed, exited, start-timeout, unhealthy).",
        "service", "version", "reason");

    public static void Count(string service, string version, string reason) => Exits.WithLabels(service, version, reason).Inc();
}

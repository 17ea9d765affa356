using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// A service's load over every balancer of the cluster, from the controller's own reading and the other agents'
/// reports. Pure: the readings are passed in.
/// </summary>
public static class ClusterLoad
{
    /// <summary>
    /// A balancer carrying less than this share of the service's requests does not set its latency: a trickle of
    /// slow requests on one host must not scale the whole service.
    /// </summary>
    public const double LatencyShare = 0.05;

    /// <summary>
    /// Rates and requests in flight add up over the balancers. A p95 cannot be combined exactly from p95s; the highest
    /// among the balancers carrying at least <see cref="LatencyShare"/> of the requests is taken (the conservative
    /// side for scaling up). The local reading's CPU, if any, is kept.
    /// </summary>
    public static LoadSnapshot? Combine(LoadSnapshot? local, IReadOnlyList<ServiceTraffic> remote, int replicas, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.Count == 0)
        {
            return local;
        }

        var readings = remote.ToList();
        if (local is not null)
        {
            readings.Add(new ServiceTraffic(local.RequestsPerSecond ?? 0, local.InFlight ?? 0, local.P95LatencyMs));
        }

        var rate = readings.Sum(r => r.RequestsPerSecond);
        var latencies = readings
            .Where(r => r.P95LatencyMs is not null && (rate <= 0 || r.RequestsPerSecond >= rate * LatencyShare))
            .Select(r => r.P95LatencyMs!.Value)
            .ToList();
        return new LoadSnapshot(
            local?.ObservedAt ?? now,
            replicas,
            rate,
            readings.Sum(r => r.InFlight),
            latencies.Count > 0 ? latencies.Max() : null,
            local?.CpuPercent);
    }

    /// <summary>
    /// One version's traffic over every balancer: requests and errors add up; the p99 is the highest among the
    /// balancers carrying at least <see cref="LatencyShare"/> of the version's requests.
    /// </summary>
    public static TrafficStats? CombineVersion(TrafficStats? local, IReadOnlyList<TrafficStats> remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.Count == 0)
        {
            return local;
        }

        var readings = local is null ? remote.ToList() : [.. remote, local];
        var requests = readings.Sum(r => r.Requests);
        var latencies = readings
            .Where(r => r.P99Ms is not null && r.Requests > 0 && r.Requests >= requests * LatencyShare)
            .Select(r => r.P99Ms!.Value)
            .ToList();
        return new TrafficStats(requests, readings.Sum(r => r.Errors), latencies.Count > 0 ? latencies.Max() : null);
    }
}

using Bollard.Balancer.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace Bollard.Balancer.Health;

/// <summary>
/// Turns on the balancer's health checks on every cluster YARP loads: active probes of the service's health path,
/// passive outlier ejection, and "healthy or panic" availability: a replica is used while neither check fails it,
/// and when every replica fails, all are used again (a broken check must not take a whole service down).
/// Catalog health is the first filter: only passing instances are in the snapshot at all.
/// Health settings already present on a cluster are kept. The probed path is the route's, carried in the cluster's
/// metadata by the routing snapshot (so a change of it alone is a changed snapshot, republished), else the default.
/// </summary>
internal sealed class HealthCheckConfigFilter(IOptionsMonitor<BalancerOptions> options) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var settings = options.CurrentValue;
        var active = settings.ActiveHealthChecks;
        var outliers = settings.OutlierDetection;
        var existing = cluster.HealthCheck;
        var path = cluster.Metadata is not null && cluster.Metadata.TryGetValue(BalancerMetadata.HealthPath, out var routePath)
            ? routePath
            : active.Path;

        return ValueTask.FromResult(cluster with
        {
            HealthCheck = new HealthCheckConfig
            {
                Active = existing?.Active ?? (active.Enabled
                    ? new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = active.Interval,
                        Timeout = active.Timeout,
                        Path = path,
                        Policy = ThresholdActiveHealthPolicy.PolicyName,
                    }
                    : null),
                Passive = existing?.Passive ?? (outliers.Enabled
                    ? new PassiveHealthCheckConfig
                    {
                        Enabled = true,
                        Policy = OutlierDetectionPolicy.PolicyName,
                        ReactivationPeriod = outliers.BaseEjectionTime,
                    }
                    : null),
                AvailableDestinationsPolicy = existing?.AvailableDestinationsPolicy ?? HealthCheckConstants.AvailableDestinations.HealthyOrPanic,
            },
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}

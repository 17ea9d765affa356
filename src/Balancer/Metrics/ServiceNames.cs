using Bollard.Balancer.Routing;
using Yarp.ReverseProxy.Configuration;

namespace Bollard.Balancer.Metrics;

/// <summary>The catalog service a YARP cluster stands for, as the routing snapshot recorded it.</summary>
internal static class ServiceNames
{
    public static string Of(ClusterConfig cluster) =>
        cluster.Metadata is not null && cluster.Metadata.TryGetValue(BalancerMetadata.Service, out var service)
            ? service
            : cluster.ClusterId;

    /// <summary>The version label of a replica: its metadata, "unknown" when it has none.</summary>
    public static string VersionOf(DestinationConfig destination) =>
        destination.Metadata is not null
        && destination.Metadata.TryGetValue(BalancerMetadata.Version, out var version)
        && version.Length > 0
            ? version
            : BalancerMetrics.Unknown;
}

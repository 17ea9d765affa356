namespace Bollard.Balancer.Routing;

/// <summary>One healthy replica the balancer may send requests to.</summary>
/// <param name="InstanceId">The catalog's instance id; also the YARP destination id.</param>
/// <param name="Address">Where to connect, e.g. <c>http://10.0.0.7:8080</c>.</param>
/// <param name="Zone">Zone (rack) of the replica; empty when unknown.</param>
/// <param name="Version">Service version the replica runs; empty when unknown.</param>
internal sealed record RoutingDestination(string InstanceId, string Address, string Zone, string Version)
{
    /// <summary>
    /// When this balancer first saw the replica healthy; slow start ramps its share from then. Kept across rebuilds
    /// while the replica stays; <see cref="DateTimeOffset.UnixEpoch"/> means "already warm".
    /// </summary>
    public DateTimeOffset Since { get; init; } = DateTimeOffset.UnixEpoch;
}

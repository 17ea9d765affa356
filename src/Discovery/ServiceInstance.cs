namespace Bollard.Discovery;

/// <summary>
/// One healthy, routable replica of a service as the catalog reports it. Immutable, with value equality,
/// so that a snapshot of instances can be compared with the previous one and republished only on change.
/// </summary>
/// <param name="Id">Unique instance id (the catalog's service id; Bollard uses the container id prefix).</param>
/// <param name="Service">The service name.</param>
/// <param name="Address">Host or IP the balancer connects to.</param>
/// <param name="Port">TCP port the balancer connects to.</param>
/// <param name="Zone">Zone (rack) the replica runs in; empty when unknown.</param>
/// <param name="Version">The service version the replica runs; empty when unknown.</param>
public sealed record ServiceInstance(string Id, string Service, string Address, int Port, string Zone, string Version);

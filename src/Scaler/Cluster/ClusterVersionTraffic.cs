using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Deployments' view of the versions' traffic in cluster mode: a canary is judged on every balancer's requests (this
/// agent's own, plus what the other agents publish over the analysis window), not on the controller's share alone.
/// Weights are set as on a single host (in Consul KV, where every balancer reads them).
/// </summary>
public sealed class ClusterVersionTraffic(ClusterTraffic traffic, ILocalVersionTraffic? local = null) : IVersionTraffic
{
    private readonly IVersionTraffic _writes = local ?? (IVersionTraffic)new NoVersionTraffic();

    public TrafficStats? Read(string service, string version, TimeSpan window) =>
        ClusterLoad.CombineVersion(local?.Read(service, version, window), traffic.RemoteVersion(service, version, window));

    public Task SetWeightsAsync(string service, IReadOnlyDictionary<string, int> perMille, CancellationToken cancellationToken) =>
        _writes.SetWeightsAsync(service, perMille, cancellationToken);

    public Task ClearWeightsAsync(string service, CancellationToken cancellationToken) =>
        _writes.ClearWeightsAsync(service, cancellationToken);
}

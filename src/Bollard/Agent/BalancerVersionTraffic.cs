using System.Text.Json;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Weights;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Traffic;
using RolloutTraffic = Bollard.Scaler.Rollouts.TrafficStats;

namespace Bollard.Agent;

/// <summary>
/// Deployments' view of the balancer: each version's traffic from this process's rolling window, and the weights set
/// where every balancer reads them: in this process on a single host, in Consul KV when Consul is used (the local
/// balancer then reads them back from Consul like the others).
/// </summary>
internal sealed class BalancerVersionTraffic(ITrafficWindow traffic, InMemoryVersionWeights local, ConsulKeyValueStore? consul, string cluster) : ILocalVersionTraffic
{
    public IReadOnlyList<string> VersionsOf(string service) => traffic.VersionsOf(service);

    public RolloutTraffic? Read(string service, string version, TimeSpan window)
    {
        var stats = traffic.Read(service, version, window);
        return stats.Requests == 0 ? new RolloutTraffic(0, 0, null) : new RolloutTraffic(stats.Requests, stats.Errors, stats.P99.TotalMilliseconds);
    }

    public async Task SetWeightsAsync(string service, IReadOnlyDictionary<string, int> perMille, CancellationToken cancellationToken)
    {
        if (consul is null)
        {
            local.Set(service, perMille);
            return;
        }

        await consul.PutAsync(Key(service), JsonSerializer.SerializeToUtf8Bytes(perMille), cancellationToken);
    }

    public async Task ClearWeightsAsync(string service, CancellationToken cancellationToken)
    {
        if (consul is null)
        {
            local.Clear(service);
            return;
        }

        await consul.DeleteAsync(Key(service), cancellationToken);
    }

    private string Key(string service) => ClusterKeys.Weights(cluster, service);
}

using Bollard.Scaler.Rollouts;

namespace Bollard.Scaler.Traffic;

/// <summary>
/// The two ways deployments meet the balancer: reading each version's own traffic (to judge a canary against the
/// stable version) and setting the per-request traffic weights of the versions. The host adapts the balancer of its
/// process to these ports (or Consul KV, for balancers on other hosts).
/// </summary>
public interface IVersionTraffic
{
    /// <summary>What one version served over the last <paramref name="window"/>; null when nothing is known.</summary>
    TrafficStats? Read(string service, string version, TimeSpan window);

    /// <summary>Sets the weights (per-mille, summing to 1000) of a service's versions.</summary>
    Task SetWeightsAsync(string service, IReadOnlyDictionary<string, int> perMille, CancellationToken cancellationToken);

    /// <summary>Removes a service's weights: traffic spreads over all its healthy replicas.</summary>
    Task ClearWeightsAsync(string service, CancellationToken cancellationToken);
}

/// <summary>
/// The versions' traffic as this process's own balancer alone sees it. Usually it is also the
/// <see cref="IVersionTraffic"/>; in cluster mode every agent publishes it and the controller adds the others' to its own.
/// </summary>
public interface ILocalVersionTraffic : IVersionTraffic
{
    /// <summary>The versions of <paramref name="service"/> that served requests through this balancer recently.</summary>
    IReadOnlyList<string> VersionsOf(string service);
}

/// <summary>When no balancer runs in this process: no traffic is known and weights go nowhere.</summary>
public sealed class NoVersionTraffic : IVersionTraffic
{
    public TrafficStats? Read(string service, string version, TimeSpan window) => null;

    public Task SetWeightsAsync(string service, IReadOnlyDictionary<string, int> perMille, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ClearWeightsAsync(string service, CancellationToken cancellationToken) => Task.CompletedTask;
}

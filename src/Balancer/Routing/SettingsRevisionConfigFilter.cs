using System.Globalization;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Makes a change of the balancer's settings (a reload of the agent's config) reach YARP without a restart: every
/// cluster carries the settings' revision in its metadata, and a change publishes the routing again. YARP then runs
/// the config filters again (health check intervals, attempt timeouts), sees every cluster changed, builds new cluster
/// models (so per-cluster picking plans and request states are rebuilt with the new settings) and asks the forwarder
/// for new clients (connect timeout, response buffering). Requests in flight finish on what they started with.
/// </summary>
internal sealed class SettingsRevisionConfigFilter : IProxyConfigFilter, IDisposable
{
    private readonly IDisposable? _subscription;
    private int _revision;

    public SettingsRevisionConfigFilter(IOptionsMonitor<BalancerOptions> options, SnapshotProxyConfigProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        _subscription = options.OnChange(_ =>
        {
            Interlocked.Increment(ref _revision);
            provider.Republish();
        });
    }

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var metadata = cluster.Metadata is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(cluster.Metadata, StringComparer.Ordinal);
        metadata[BalancerMetadata.SettingsRevision] = Volatile.Read(ref _revision).ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult(cluster with { Metadata = metadata });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);

    public void Dispose() => _subscription?.Dispose();
}

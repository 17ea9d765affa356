using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;
using Bollard.Scaler.Traffic;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Shares request load between the agents of a cluster: every agent publishes what its own balancer sees of each
/// service (<see cref="TrafficReport"/> under <c>traffic/&lt;agent&gt;</c>, held by its session, so it vanishes with the
/// agent), with the replicas it has requests in flight to, and keeps the other agents' reports: <see
/// cref="ClusterLoadSource"/> adds their load to the controller's own, and <see cref="ClusterDrain"/> waits for their
/// requests to a removed replica. For the load, a report that has not moved for three intervals is old and left out
/// (an agent with nothing to report stops publishing); a drain counts every agent's last report (see
/// <see cref="TrafficRoster.OthersDrained"/>).
/// </summary>
public sealed partial class ClusterTraffic(
    AgentSession session,
    ConsulKeyValueStore store,
    ConsulKeyValueWatch watch,
    IServiceSpecSource specs,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterTraffic> logger,
    LoopHealth health,
    ILocalLoadSource? local = null,
    ILocalDrain? drain = null,
    ILocalVersionTraffic? versions = null) : SupervisedBackgroundService("cluster-traffic", health)
{
    private volatile TrafficRoster? _roster;

    private string Cluster => scaler.Value.Cluster;

    private TrafficRoster Roster => _roster ??= TrafficRoster.Empty(options.Value.Agent, options.Value.TrafficInterval * 3);

    /// <summary>The other agents' current readings of <paramref name="service"/> (this agent's own is left out).</summary>
    public IReadOnlyList<ServiceTraffic> Remote(string service) => Roster.Remote(service, time.GetUtcNow());

    /// <summary>The other agents' current readings of one version over <paramref name="window"/> (see <see cref="TrafficRoster.RemoteVersion"/>).</summary>
    public IReadOnlyList<TrafficStats> RemoteVersion(string service, string version, TimeSpan window) =>
        Roster.RemoteVersion(service, version, window, time.GetUtcNow());

    /// <summary>See <see cref="TrafficRoster.OthersDrained"/>.</summary>
    public bool OthersDrained(string instanceId, DateTimeOffset since) => Roster.OthersDrained(instanceId, since, time.GetUtcNow());

    protected override Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchLoopAsync(stoppingToken), local is null && drain is null && versions is null ? Task.CompletedTask : PublishLoopAsync(stoppingToken));

    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entries in watch.WatchPrefixAsync(ClusterKeys.TrafficPrefix(Cluster), stoppingToken))
            {
                var reports = entries
                    .Select(e => KeyValuePair.Create(e.Key, ClusterJson.Read<TrafficReport>(e.Value)))
                    .Where(e => e.Value is { Services: not null, Busy: not null })
                    .Select(e => KeyValuePair.Create(e.Key, e.Value!));
                _roster = Roster.Observe(reports, time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PublishLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrafficInterval, time);
        var sequence = 0L;
        var publishedEmpty = true;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var services = await ReadLocalAsync(stoppingToken);
                var busy = drain?.Busy() ?? [];

                // Nothing to tell twice: no traffic now and none published before (an idle cluster writes nothing).
                var empty = services.Count == 0 && busy.Count == 0;
                if (empty && publishedEmpty)
                {
                    continue;
                }

                try
                {
                    var id = await session.CurrentAsync(stoppingToken);
                    var report = new TrafficReport(options.Value.Agent, ++sequence, services) { Busy = busy };
                    await store.TryAcquireAsync(ClusterKeys.Traffic(Cluster, options.Value.Agent), id, ClusterJson.Write(report), stoppingToken);
                    publishedEmpty = empty;
                    Status.Succeeded();
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Consul unreachable (or anything else): the controller counts this agent's last report until its
                    // session ends, and this one is published again next tick (with a new session if it ended).
                    await session.CheckAfterFailureAsync(stoppingToken);
                    if (Status.Failed(e))
                    {
                        LogConsulUnavailable(e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the key goes with the agent's session.
        }
    }

    private async Task<Dictionary<string, ServiceTraffic>> ReadLocalAsync(CancellationToken cancellationToken)
    {
        var services = new Dictionary<string, ServiceTraffic>(StringComparer.Ordinal);
        foreach (var spec in specs.Current.Where(s => s.Route is not null))
        {
            var load = local is null ? null : await local.ReadAsync(spec.Name, 0, cancellationToken);
            var window = spec.Rollout.Analysis.Interval;
            var byVersion = ReadVersions(spec.Name, window);
            if (load is { HasTraffic: true } || byVersion.Count > 0)
            {
                services[spec.Name] = new ServiceTraffic(load?.RequestsPerSecond ?? 0, load?.InFlight ?? 0, load?.P95LatencyMs)
                {
                    Versions = byVersion.Count > 0 ? byVersion : null,
                    VersionWindow = byVersion.Count > 0 ? window : null,
                };
            }
        }

        return services;
    }

    /// <summary>Each version's traffic over the service's analysis window, as the controller's analysis reads its own.</summary>
    private Dictionary<string, TrafficStats> ReadVersions(string service, TimeSpan window)
    {
        var byVersion = new Dictionary<string, TrafficStats>(StringComparer.Ordinal);
        foreach (var version in versions?.VersionsOf(service) ?? [])
        {
            if (versions!.Read(service, version, window) is { Requests: > 0 } stats)
            {
                byVersion[version] = stats;
            }
        }

        return byVersion;
    }

    [LoggerMessage(EventId = 2411, Level = LogLevel.Warning, Message = "Consul is unreachable while publishing this balancer's traffic for the controller; retrying: {Error}")]
    private partial void LogConsulUnavailable(string error);
}

using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Scaler.Reconcile;
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
/// requests to a removed replica. A report that has not moved for three intervals is old, and left out (an agent
/// with nothing to report stops publishing).
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
    ILocalLoadSource? local = null,
    ILocalDrain? drain = null) : BackgroundService
{
    private volatile TrafficRoster? _roster;

    private string Cluster => scaler.Value.Cluster;

    private TrafficRoster Roster => _roster ??= TrafficRoster.Empty(options.Value.Agent, options.Value.TrafficInterval * 3);

    /// <summary>The other agents' current readings of <paramref name="service"/> (this agent's own is left out).</summary>
    public IReadOnlyList<ServiceTraffic> Remote(string service) => Roster.Remote(service, time.GetUtcNow());

    /// <summary>See <see cref="TrafficRoster.OthersDrained"/>.</summary>
    public bool OthersDrained(string instanceId, DateTimeOffset since) => Roster.OthersDrained(instanceId, since, time.GetUtcNow());

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchLoopAsync(stoppingToken), local is null && drain is null ? Task.CompletedTask : PublishLoopAsync(stoppingToken));

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
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var services = local is null ? new Dictionary<string, ServiceTraffic>() : await ReadLocalAsync(local, stoppingToken);
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
                    failing = false;
                }
                catch (CatalogUnavailableException e)
                {
                    if (!failing)
                    {
                        LogConsulUnavailable(e.Message);
                    }

                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the key goes with the agent's session.
        }
    }

    private async Task<Dictionary<string, ServiceTraffic>> ReadLocalAsync(ILocalLoadSource source, CancellationToken cancellationToken)
    {
        var services = new Dictionary<string, ServiceTraffic>(StringComparer.Ordinal);
        foreach (var spec in specs.Current.Where(s => s.Route is not null))
        {
            if (await source.ReadAsync(spec.Name, 0, cancellationToken) is { HasTraffic: true } load)
            {
                services[spec.Name] = new ServiceTraffic(load.RequestsPerSecond ?? 0, load.InFlight ?? 0, load.P95LatencyMs);
            }
        }

        return services;
    }

    [LoggerMessage(EventId = 2411, Level = LogLevel.Warning, Message = "Consul is unreachable while publishing this balancer's traffic for the controller; retrying: {Error}")]
    private partial void LogConsulUnavailable(string error);
}

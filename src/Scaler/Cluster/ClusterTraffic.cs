using System.Collections.Immutable;
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
/// agent) and keeps the other agents' reports, which <see cref="ClusterLoadSource"/> adds to the controller's own.
/// A report that has not moved for three intervals is old load, and left out.
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
    ILocalLoadSource? local = null) : BackgroundService
{
    private volatile ImmutableDictionary<string, Received> _received = ImmutableDictionary<string, Received>.Empty;

    private string Cluster => scaler.Value.Cluster;

    /// <summary>The other agents' current readings of <paramref name="service"/> (this agent's own is left out).</summary>
    public IReadOnlyList<ServiceTraffic> Remote(string service)
    {
        var oldest = time.GetUtcNow() - options.Value.TrafficInterval * 3;
        return [.. _received.Values
            .Where(r => r.MovedAt >= oldest && r.Report.Agent != options.Value.Agent)
            .Select(r => r.Report.Services.GetValueOrDefault(service))
            .OfType<ServiceTraffic>()];
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(WatchLoopAsync(stoppingToken), local is null ? Task.CompletedTask : PublishLoopAsync(local, stoppingToken));

    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entries in watch.WatchPrefixAsync(ClusterKeys.TrafficPrefix(Cluster), stoppingToken))
            {
                var now = time.GetUtcNow();
                var before = _received;
                var next = ImmutableDictionary.CreateBuilder<string, Received>(StringComparer.Ordinal);
                foreach (var entry in entries)
                {
                    if (ClusterJson.Read<TrafficReport>(entry.Value) is { Services: not null } report)
                    {
                        var moved = before.TryGetValue(entry.Key, out var known) && known.Report.Sequence == report.Sequence && known.Report.Agent == report.Agent
                            ? known.MovedAt
                            : now;
                        next[entry.Key] = new Received(report, moved);
                    }
                }

                _received = next.ToImmutable();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PublishLoopAsync(ILocalLoadSource source, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrafficInterval, time);
        var sequence = 0L;
        var publishedEmpty = true;
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var services = await ReadLocalAsync(source, stoppingToken);

                // Nothing to tell twice: no traffic now and none published before (an idle cluster writes nothing).
                if (services.Count == 0 && publishedEmpty)
                {
                    continue;
                }

                try
                {
                    var id = await session.CurrentAsync(stoppingToken);
                    var report = new TrafficReport(options.Value.Agent, ++sequence, services);
                    await store.TryAcquireAsync(ClusterKeys.Traffic(Cluster, options.Value.Agent), id, ClusterJson.Write(report), stoppingToken);
                    publishedEmpty = services.Count == 0;
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

    /// <param name="Report">The last report read.</param>
    /// <param name="MovedAt">When (on this agent's clock) its sequence last moved.</param>
    private sealed record Received(TrafficReport Report, DateTimeOffset MovedAt);
}

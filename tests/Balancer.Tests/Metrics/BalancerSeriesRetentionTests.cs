using System.Text;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Routing;
using Prometheus;

namespace Bollard.Balancer.Tests.Metrics;

public sealed class BalancerSeriesRetentionTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddDays(1);
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly BalancerMetrics _metrics;

    public BalancerSeriesRetentionTests() => _metrics = new BalancerMetrics(Prometheus.Metrics.WithCustomRegistry(_registry));

    [Fact]
    public async Task A_version_out_of_routing_for_the_grace_period_is_deleted_and_the_routed_one_stays()
    {
        Serve("web", "v1");
        Serve("web", "v2");
        var onlyV2 = Snapshot(("web", "v2"));

        _metrics.Retain(onlyV2, Start);
        _metrics.Retain(onlyV2, Start + BalancerMetrics.RetentionGrace - TimeSpan.FromSeconds(1));
        var withinGrace = await ExportAsync();
        _metrics.Retain(onlyV2, Start + BalancerMetrics.RetentionGrace + TimeSpan.FromSeconds(1));
        var after = await ExportAsync();

        Assert.Contains("version=\"v1\"", withinGrace, StringComparison.Ordinal);
        Assert.DoesNotContain("version=\"v1\"", after, StringComparison.Ordinal);
        Assert.Contains("bollard_balancer_requests_total{service=\"web\",version=\"v2\",zone=\"zone-a\",code_class=\"2xx\"} 1", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_no_longer_routed_loses_every_series_after_the_grace_period()
    {
        Serve("web", "v1");
        _metrics.Ejected("web");
        _metrics.Retried("web", "timeout");
        _metrics.Retain(Snapshot(("web", "v1")), Start);

        _metrics.Retain(RoutingSnapshot.Empty, Start + TimeSpan.FromMinutes(1));
        Assert.Contains("service=\"web\"", await ExportAsync(), StringComparison.Ordinal);
        _metrics.Retain(RoutingSnapshot.Empty, Start + BalancerMetrics.RetentionGrace + TimeSpan.FromSeconds(1));

        Assert.DoesNotContain("service=\"web\"", await ExportAsync(), StringComparison.Ordinal);
    }

    private void Serve(string service, string version)
    {
        _metrics.RequestStarted(service);
        _metrics.RequestFinished(service, version, "zone-a", 200, TimeSpan.FromMilliseconds(5));
    }

    private static RoutingSnapshot Snapshot(params (string Service, string Version)[] routed) =>
        new(routed.GroupBy(r => r.Service).Select(g => new ServiceRouting(
            g.Key,
            null,
            null,
            g.Select((r, i) => new RoutingDestination($"{g.Key}-{r.Version}-{i}", $"http://127.0.0.1:{8000 + i}", "zone-a", r.Version)))));

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

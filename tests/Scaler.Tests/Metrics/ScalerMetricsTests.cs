using System.Collections.Immutable;
using System.Text;
using Bollard.Discovery;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Metrics;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Runtime;
using Prometheus;

namespace Bollard.Scaler.Tests.Metrics;

public sealed class ScalerMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly ScalerMetrics _metrics;

    public ScalerMetricsTests() => _metrics = new ScalerMetrics(Prometheus.Metrics.WithCustomRegistry(_registry), "prod");

    [Fact]
    public async Task A_zone_gone_from_the_counts_is_set_to_zero_not_left_at_its_last_value()
    {
        _metrics.Publish([Count("web", ("zone-a", 2), ("zone-b", 1))]);

        _metrics.Publish([Count("web", ("zone-a", 3))]); // zone-b's host became unavailable

        var text = await ExportAsync();
        Assert.Contains("bollard_scaler_zone_healthy_replicas{service=\"web\",zone=\"zone-a\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("bollard_scaler_zone_healthy_replicas{service=\"web\",zone=\"zone-b\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("bollard_scaler_healthy_replicas{service=\"web\"} 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_series_of_a_removed_service_are_deleted_those_of_the_others_stay()
    {
        _metrics.Ranges([("web", 2, 6), ("api", 1, 1)]);
        _metrics.Publish([Count("web", ("zone-a", 2), ("zone-b", 1)), Count("api", ("zone-a", 1))]);
        Assert.Contains("bollard_scaler_min_replicas{service=\"api\"} 1", await ExportAsync(), StringComparison.Ordinal);
        _metrics.Decided(new Decision(DateTimeOffset.UnixEpoch, "api", "remove", "c1", "removed from the specs", "started"));
        _metrics.Rollout("api", Rollout(RolloutPhase.Succeeded), 1, new Dictionary<string, double> { ["v2"] = 100 });

        _metrics.Publish([Count("web", ("zone-a", 2))]);

        var text = await ExportAsync();
        Assert.DoesNotContain("service=\"api\"", text, StringComparison.Ordinal);
        Assert.Contains("bollard_scaler_desired_replicas{service=\"web\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("bollard_scaler_zone_desired_replicas{service=\"web\",zone=\"zone-b\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollout_shows_its_step_phase_and_weights_and_the_series_of_a_version_that_went_are_deleted()
    {
        _metrics.Rollout("web", Rollout(RolloutPhase.Progressing, step: 1), 4, new Dictionary<string, double> { ["v1"] = 80, ["v2"] = 20 });
        var during = await ExportAsync();

        _metrics.Rollout("web", Rollout(RolloutPhase.RolledBack, step: 2), 4, new Dictionary<string, double> { ["v1"] = 100 });
        _metrics.RolledBack("web");
        var after = await ExportAsync();

        Assert.Contains("bollard_rollout_step{service=\"web\"} 1", during, StringComparison.Ordinal);
        Assert.Contains("bollard_rollout_steps{service=\"web\"} 4", during, StringComparison.Ordinal);
        Assert.Contains("bollard_rollout_phase{service=\"web\",phase=\"progressing\"} 1", during, StringComparison.Ordinal);
        Assert.Contains("bollard_version_weight_percent{service=\"web\",version=\"v2\"} 20", during, StringComparison.Ordinal);
        Assert.Contains("bollard_rollout_phase{service=\"web\",phase=\"rolled_back\"} 1", after, StringComparison.Ordinal);
        Assert.DoesNotContain("phase=\"progressing\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("version=\"v2\"", after, StringComparison.Ordinal);
        Assert.Contains("bollard_version_weight_percent{service=\"web\",version=\"v1\"} 100", after, StringComparison.Ordinal);
        Assert.Contains("bollard_rollbacks_total{service=\"web\"} 1", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosts_show_whether_they_answer_and_a_forgotten_host_is_deleted()
    {
        _metrics.Hosts([("h1", "zone-a", true), ("h2", "zone-b", false)]);
        var both = await ExportAsync();
        _metrics.Hosts([("h1", "zone-a", true)]);
        var one = await ExportAsync();

        Assert.Contains("bollard_host_reachable{host=\"h2\",zone=\"zone-b\"} 0", both, StringComparison.Ordinal);
        Assert.Contains("bollard_host_reachable{host=\"h1\",zone=\"zone-a\"} 1", one, StringComparison.Ordinal);
        Assert.DoesNotContain("h2", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_stops_leading_says_so_and_deletes_what_it_published_as_the_controller()
    {
        _metrics.Leading(true);
        _metrics.Publish([Count("web", ("zone-a", 2))]);
        _metrics.Hosts([("h1", "zone-a", true)]);
        Assert.Contains("bollard_controller_leader{cluster=\"prod\"} 1", await ExportAsync(), StringComparison.Ordinal);

        _metrics.Leading(false);

        var text = await ExportAsync();
        Assert.Contains("bollard_controller_leader{cluster=\"prod\"} 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("service=\"web\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("host=\"h1\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_and_failed_passes_are_counted_by_kind()
    {
        var log = new DecisionLog(_metrics);
        log.Record(new Decision(DateTimeOffset.UnixEpoch, "web", "scale", null, "load", "desired 4 (from 3)"));
        log.Record(new Decision(DateTimeOffset.UnixEpoch, "web", "scale", null, "load", "desired 5 (from 4)"));
        _metrics.ReconcileFailed(new RuntimeUnavailableException("docker is down"));
        _metrics.ReconcileFailed(new CatalogUnavailableException("consul is down"));
        _metrics.ReconcileFailed(new InvalidOperationException("a bug"));
        _metrics.PassTook(TimeSpan.FromMilliseconds(30));

        var text = await ExportAsync();
        Assert.Contains("bollard_decisions_total{service=\"web\",action=\"scale\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("bollard_reconcile_errors_total{kind=\"runtime_unavailable\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("bollard_reconcile_errors_total{kind=\"catalog_unavailable\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("bollard_reconcile_errors_total{kind=\"other\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("bollard_reconcile_pass_duration_seconds_count 1", text, StringComparison.Ordinal);
    }

    private static RolloutState Rollout(RolloutPhase phase, int step = 0) => new()
    {
        Service = "x",
        StableVersion = "v1",
        NewVersion = "v2",
        Spec = RolloutSpec.Default,
        Phase = phase,
        StepIndex = step,
    };

    private static ServiceCount Count(string service, params (string Zone, int Count)[] zones)
    {
        var perZone = zones.ToImmutableSortedDictionary(z => z.Zone, z => z.Count, StringComparer.Ordinal);
        var total = zones.Sum(z => z.Count);
        return new ServiceCount(service, total, total, total, perZone, perZone);
    }

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

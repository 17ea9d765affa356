using System.Collections.Immutable;
using System.Text;
using Bollard.Scaler.Reconcile;
using Prometheus;

namespace Bollard.Scaler.Tests.Reconcile;

public sealed class ScalerMetricsTests
{
    [Fact]
    public async Task A_zone_gone_from_the_counts_is_set_to_zero_not_left_at_its_last_value()
    {
        var service = $"metrics-{Guid.NewGuid():N}"[..20]; // the gauges are process-wide: a service of its own
        ScalerMetrics.Publish([Count(service, ("zone-a", 2), ("zone-b", 1))]);

        ScalerMetrics.Publish([Count(service, ("zone-a", 3))]); // zone-b's host became unavailable

        var text = await ExportAsync();
        Assert.Contains($"bollard_scaler_zone_healthy_replicas{{service=\"{service}\",zone=\"zone-a\"}} 3", text, StringComparison.Ordinal);
        Assert.Contains($"bollard_scaler_zone_healthy_replicas{{service=\"{service}\",zone=\"zone-b\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"bollard_scaler_healthy_replicas{{service=\"{service}\"}} 3", text, StringComparison.Ordinal);
    }

    private static ServiceCount Count(string service, params (string Zone, int Count)[] zones)
    {
        var perZone = zones.ToImmutableSortedDictionary(z => z.Zone, z => z.Count, StringComparer.Ordinal);
        var total = zones.Sum(z => z.Count);
        return new ServiceCount(service, total, total, total, perZone, perZone);
    }

    private static async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

using Bollard.Balancer.Metrics;
using Bollard.Balancer.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Pipeline;

public sealed class DestinationTrafficTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly BalancerMetrics _metrics = new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));

    [Fact]
    public void A_kept_record_counts_in_the_same_series_and_window_as_a_lookup_by_labels()
    {
        var windows = new TrafficWindows(_time);
        var traffic = new DestinationTraffic(_metrics.SeriesOf("web", "v1", "zone-a"), "web", "v1", windows);

        traffic.Record(200, _time.GetTimestamp(), TimeSpan.FromMilliseconds(5));
        traffic.Record(503, _time.GetTimestamp(), TimeSpan.FromMilliseconds(5));
        traffic.Record(0, _time.GetTimestamp(), TimeSpan.FromMilliseconds(5));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, _metrics.RequestCount("web", "v1", "zone-a", "2xx"));
        Assert.Equal(1, _metrics.RequestCount("web", "v1", "zone-a", "5xx"));
        Assert.Equal(1, _metrics.RequestCount("web", "v1", "zone-a", "other"));
        Assert.Equal(3, _metrics.DurationCount("web", "v1"));
        var stats = windows.Read("web", "v1", TimeSpan.FromSeconds(10));
        Assert.Equal(3, stats.Requests);
        Assert.Equal(1, stats.Errors);
    }

    [Fact]
    public void A_window_dropped_while_idle_is_looked_up_again_so_no_request_is_lost()
    {
        var windows = new TrafficWindows(_time);
        var traffic = new DestinationTraffic(_metrics.SeriesOf("web", "v1", "zone-a"), "web", "v1", windows);
        traffic.Record(200, _time.GetTimestamp(), TimeSpan.FromMilliseconds(5));

        // Silent for longer than twice the window: the next read drops (retires) it.
        _time.Advance(TimeSpan.FromSeconds(3 * TrafficWindow.Seconds));
        Assert.Equal(0, windows.Read("web", "v1", TimeSpan.FromSeconds(10)).Requests);
        Assert.Empty(windows.VersionsOf("web"));

        traffic.Record(200, _time.GetTimestamp(), TimeSpan.FromMilliseconds(5));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, windows.Read("web", "v1", TimeSpan.FromSeconds(10)).Requests);
        Assert.Equal(["v1"], windows.VersionsOf("web"));
    }
}

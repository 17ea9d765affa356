using Bollard.Balancer.Metrics;
using Prometheus;

namespace Bollard.Balancer.Tests.Metrics;

public sealed class BalancerMetricsTests
{
    private readonly BalancerMetrics _metrics = new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));

    [Theory]
    [InlineData(101, "1xx")]
    [InlineData(200, "2xx")]
    [InlineData(204, "2xx")]
    [InlineData(308, "3xx")]
    [InlineData(404, "4xx")]
    [InlineData(499, "4xx")]
    [InlineData(502, "5xx")]
    [InlineData(503, "5xx")]
    [InlineData(0, "other")]
    [InlineData(600, "other")]
    public void Status_codes_fall_into_bounded_classes(int status, string expected) =>
        Assert.Equal(expected, BalancerMetrics.CodeClassOf(status));

    [Fact]
    public void A_finished_request_is_counted_timed_and_leaves_the_in_flight_gauge()
    {
        _metrics.RequestStarted("web");
        Assert.Equal(1, _metrics.InFlight("web"));

        _metrics.RequestFinished("web", "v1", "zone-a", 200, TimeSpan.FromMilliseconds(12));

        Assert.Equal(0, _metrics.InFlight("web"));
        Assert.Equal(1, _metrics.RequestCount("web", "v1", "zone-a", "2xx"));
        Assert.Equal(1, _metrics.DurationCount("web", "v1"));
    }

    [Fact]
    public void Missing_zone_or_version_is_labelled_unknown()
    {
        _metrics.RequestStarted("web");
        _metrics.RequestFinished("web", "", "", 500, TimeSpan.Zero);

        Assert.Equal(1, _metrics.RequestCount("web", BalancerMetrics.Unknown, BalancerMetrics.Unknown, "5xx"));
    }
}

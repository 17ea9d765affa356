using Bollard.Balancer.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Balancer.Tests.Metrics;

public sealed class TrafficWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TrafficWindows _windows;

    public TrafficWindowTests()
    {
        _windows = new TrafficWindows(_time);
    }

    [Fact]
    public void Rate_error_rate_and_counts_cover_the_requested_whole_seconds()
    {
        // 10 requests per second for 30 s, one in ten a 5xx.
        for (var second = 0; second < 30; second++)
        {
            for (var i = 0; i < 10; i++)
            {
                Record("web", "v1", TimeSpan.FromMilliseconds(20), error: i == 0);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var last10 = _windows.Read("web", "v1", TimeSpan.FromSeconds(10));
        Assert.Equal(100, last10.Requests);
        Assert.Equal(10, last10.Errors);
        Assert.Equal(10, last10.RatePerSecond, 6);
        Assert.Equal(0.1, last10.ErrorRate, 6);

        var last60 = _windows.Read("web", "v1", TimeSpan.FromSeconds(60));
        Assert.Equal(300, last60.Requests);
        Assert.Equal(5, last60.RatePerSecond, 6);
    }

    [Fact]
    public void The_second_still_filling_is_not_read_and_old_slots_expire()
    {
        Record("web", "v1", TimeSpan.FromMilliseconds(5), error: false);
        Assert.Equal(0, _windows.Read("web", "v1", TimeSpan.FromSeconds(10)).Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _windows.Read("web", "v1", TimeSpan.FromSeconds(10)).Requests);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _windows.Read("web", "v1", TimeSpan.FromSeconds(10)).Requests);
        Assert.Equal(1, _windows.Read("web", "v1", TimeSpan.FromSeconds(60)).Requests);

        // A slot reused 61 s later holds only the new second's requests.
        _time.Advance(TimeSpan.FromSeconds(50));
        Record("web", "v1", TimeSpan.FromMilliseconds(5), error: false);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _windows.Read("web", "v1", TimeSpan.FromSeconds(60)).Requests);
    }

    [Fact]
    public void Percentiles_are_within_bucket_precision_and_never_low()
    {
        var random = new Random(42);
        var samples = new List<double>();
        for (var i = 0; i < 5000; i++)
        {
            // Log-uniform between 0.5 ms and 2 s.
            var ms = Math.Exp(Math.Log(0.5) + (random.NextDouble() * (Math.Log(2000) - Math.Log(0.5))));
            samples.Add(ms);
            Record("web", "v1", TimeSpan.FromMilliseconds(ms), error: false);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var stats = _windows.Read("web", "v1", TimeSpan.FromSeconds(10));
        samples.Sort();
        foreach (var (quantile, reported) in new[] { (0.50, stats.P50), (0.95, stats.P95), (0.99, stats.P99) })
        {
            var truth = samples[(int)Math.Ceiling(quantile * samples.Count) - 1];
            Assert.InRange(reported.TotalMilliseconds, truth, (truth * 1.25) + 0.002);
        }
    }

    [Fact]
    public void Versions_are_read_apart_or_together_with_requests_that_reached_no_replica()
    {
        Record("web", "v1", TimeSpan.FromMilliseconds(1), error: false);
        Record("web", "v2", TimeSpan.FromMilliseconds(1), error: true);
        Record("web", BalancerMetrics.None, TimeSpan.FromMilliseconds(1), error: true);
        Record("other", "v9", TimeSpan.FromMilliseconds(1), error: false);
        _windows.For("web", "v2").Started();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["v1", "v2"], _windows.VersionsOf("web"));
        Assert.Equal(1, _windows.Read("web", "v2", TimeSpan.FromSeconds(5)).Errors);
        Assert.Equal(1, _windows.Read("web", "v2", TimeSpan.FromSeconds(5)).InFlight);
        var all = _windows.Read("web", null, TimeSpan.FromSeconds(5));
        Assert.Equal((3, 2, 1), (all.Requests, all.Errors, all.InFlight));
        Assert.Equal(default(TrafficStats), _windows.Read("missing", null, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Versions_silent_for_two_windows_are_dropped()
    {
        Record("web", "v1", TimeSpan.FromMilliseconds(1), error: false);
        _time.Advance(TimeSpan.FromSeconds(200));
        Record("web", "v2", TimeSpan.FromMilliseconds(1), error: false);
        _windows.Read("web", null, TimeSpan.FromSeconds(5));

        Assert.Equal(["v2"], _windows.VersionsOf("web"));
    }

    [Fact]
    public void Concurrent_writers_lose_no_request()
    {
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Record("web", "v1", TimeSpan.FromMilliseconds(3), error: false);
            }
        });
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(80_000, _windows.Read("web", "v1", TimeSpan.FromSeconds(1)).Requests);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.2, 1)]
    [InlineData(10, 10)]
    [InlineData(10.5, 11)]
    [InlineData(600, 60)]
    public void Windows_are_whole_seconds_between_1_and_60(double seconds, int expected) =>
        Assert.Equal(expected, TrafficWindows.SecondsOf(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_sliding_count_includes_the_second_still_filling_and_the_oldest_second_pro_rata()
    {
        // 10 requests in one second, then 4 in the next (of every version: the sliding count is per service).
        for (var i = 0; i < 10; i++)
        {
            Record("web", "v1", TimeSpan.FromMilliseconds(5), error: false);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 4; i++)
        {
            Record("web", i % 2 == 0 ? "v1" : "v2", TimeSpan.FromMilliseconds(5), error: false);
        }

        // At the start of the second second: all of the first (the span's oldest second, wholly inside) plus the 4 so far.
        Assert.Equal(14, _windows.SlidingRequests("web", TimeSpan.FromSeconds(1)), 6);

        // A quarter into it: the first second counts three quarters.
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(4 + 7.5, _windows.SlidingRequests("web", TimeSpan.FromSeconds(1)), 6);
        Assert.Equal(14, _windows.SlidingRequests("web", TimeSpan.FromSeconds(2)), 6);
        Assert.Equal(0, _windows.SlidingRequests("api", TimeSpan.FromSeconds(1)), 6);

        // Whole seconds later the first second has left a 1 s span.
        _time.Advance(TimeSpan.FromMilliseconds(750));
        Assert.Equal(4, _windows.SlidingRequests("web", TimeSpan.FromSeconds(1)), 6);
    }

    private void Record(string service, string version, TimeSpan elapsed, bool error) =>
        _windows.For(service, version).Record(_time.GetTimestamp(), elapsed, error);
}

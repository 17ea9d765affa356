using Bollard.Agent;
using Bollard.Balancer.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The load the autoscaler reads from the balancer's window: a rise counts at once, a fall only once it lasts.</summary>
public sealed class BalancerLoadSourceTests
{
    [Theory]
    [InlineData(100, 200, 100, 100, 100)] // steady: every window agrees
    [InlineData(140, 400, 200, 200, 200)] // two seconds into a doubling: the sliding 2 s window sees it whole
    [InlineData(60, 0, 0, 0, 60)] // a stop two seconds ago: the long window still remembers the load
    [InlineData(36, 72, 36, 50, 36)] // a noisy second at a steady 36/s: within chance, not a step
    [InlineData(0, 27, 0, 27, 27)] // three quarters of a second into a step from idle to 36/s: the last second stands out
    public async Task The_rate_is_the_highest_of_the_long_window_the_sliding_window_and_a_last_second_that_stands_out(
        double longRate, double slidingTwoSeconds, double lastWholeSecond, double slidingLastSecond, double expected)
    {
        var traffic = new FixedTraffic(longRate, lastWholeSecond, slidingTwoSeconds, slidingLastSecond);
        var source = new BalancerLoadSource(traffic, new FakeTimeProvider());

        var load = await source.ReadAsync("web", replicas: 3, CancellationToken.None);

        Assert.Equal(expected, load!.RequestsPerSecond!.Value, 6);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(16, 0, false)] // from idle, 16 requests are within 4 standard deviations (4 x sqrt(16) = 16)
    [InlineData(17, 0, true)]
    [InlineData(50, 144, false)] // 36/s before: 50 is +14, 4 sd are about 30
    [InlineData(75, 144, true)] // +39, 4 sd are about 37: a doubling within a second
    [InlineData(20, 400, false)] // a fall is never a rise
    public void A_last_second_counts_only_when_it_rose_beyond_chance(double lastSecond, double before, bool rose)
    {
        Assert.Equal(rose, LoadStep.RisenRate(lastSecond, before, beforeSeconds: 4) is not null);
    }

    /// <summary>Fixed counts: the long window's rate (5 s), the last whole second's requests, and the two sliding counts.</summary>
    private sealed class FixedTraffic(double longRate, double lastWholeSecond, double slidingTwoSeconds, double slidingLastSecond) : ITrafficWindow
    {
        public TrafficStats Read(string service, string? version, TimeSpan window)
        {
            var requests = window == BalancerLoadSource.Window ? longRate * window.TotalSeconds
                : window == TimeSpan.FromSeconds(1) ? lastWholeSecond
                : throw new ArgumentOutOfRangeException(nameof(window), window, "not a window the load source reads");
            return new(Requests: (long)requests, Errors: 0, RatePerSecond: requests / window.TotalSeconds, ErrorRate: 0, P50: TimeSpan.Zero,
                P95: TimeSpan.Zero, P99: TimeSpan.Zero, InFlight: 0);
        }

        public double SlidingRequests(string service, TimeSpan span) =>
            span == BalancerLoadSource.RecentWindow ? slidingTwoSeconds
            : span == TimeSpan.FromSeconds(1) ? slidingLastSecond
            : throw new ArgumentOutOfRangeException(nameof(span), span, "not a span the load source reads");

        public IReadOnlyList<string> VersionsOf(string service) => [];
    }
}

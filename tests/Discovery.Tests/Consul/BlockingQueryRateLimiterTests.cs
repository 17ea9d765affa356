using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

public sealed class BlockingQueryRateLimiterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_burst_of_two_passes_at_once_then_queries_are_paced_one_per_interval()
    {
        var limiter = new BlockingQueryRateLimiter(Interval, burst: 2);

        Assert.Equal(TimeSpan.Zero, limiter.Acquire(Start));
        Assert.Equal(TimeSpan.Zero, limiter.Acquire(Start));
        Assert.Equal(Interval, limiter.Acquire(Start));

        // The caller waited the interval: the next one waits another interval, never less, never more.
        Assert.Equal(Interval, limiter.Acquire(Start + Interval));
        Assert.Equal(Interval, limiter.Acquire(Start + (2 * Interval)));
    }

    [Fact]
    public void Queries_spaced_by_long_blocking_waits_are_never_delayed()
    {
        var limiter = new BlockingQueryRateLimiter(Interval);
        var now = Start;
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.Acquire(now));
            now += TimeSpan.FromSeconds(30);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Over_any_period_at_most_burst_plus_elapsed_over_interval_queries_go_out(int burst)
    {
        var limiter = new BlockingQueryRateLimiter(Interval, burst);
        var now = Start;
        var sent = 0;

        // A churning index: the caller queries again as soon as allowed, for ten seconds.
        while (now < Start + TimeSpan.FromSeconds(10))
        {
            now += limiter.Acquire(now);
            sent++;
        }

        Assert.InRange(sent, 100, burst + 101);
    }
}

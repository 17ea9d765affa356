using Bollard.Balancer.Metrics;

namespace Bollard.Balancer.Tests.Metrics;

public sealed class LatencyBucketsTests
{
    [Fact]
    public void Every_latency_falls_in_a_bucket_whose_upper_bound_is_above_it_by_at_most_a_quarter()
    {
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++)
        {
            var micros = (long)Math.Exp(random.NextDouble() * Math.Log(30_000_000));
            var index = LatencyBuckets.IndexOf(micros);
            var upper = LatencyBuckets.UpperBoundOf(index).Ticks / TimeSpan.TicksPerMicrosecond;
            Assert.InRange(index, 0, LatencyBuckets.Count - 1);
            Assert.True(upper > micros, $"{micros} µs in bucket {index} below {upper}");
            Assert.True(upper <= (micros * 1.25) + 1, $"{micros} µs in bucket {index} up to {upper}");
        }
    }

    [Fact]
    public void Buckets_are_ordered_and_extremes_are_clamped()
    {
        for (var i = 1; i < LatencyBuckets.Count; i++)
        {
            Assert.True(LatencyBuckets.UpperBoundOf(i) > LatencyBuckets.UpperBoundOf(i - 1));
        }

        Assert.Equal(0, LatencyBuckets.IndexOf(TimeSpan.FromTicks(-5)));
        Assert.Equal(LatencyBuckets.Count - 1, LatencyBuckets.IndexOf(TimeSpan.FromHours(1)));
    }
}

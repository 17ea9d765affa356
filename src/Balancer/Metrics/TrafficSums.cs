namespace Bollard.Balancer.Metrics;

/// <summary>Totals of one or more windows over the same seconds, turned into <see cref="TrafficStats"/>.</summary>
internal struct TrafficSums
{
    public TrafficSums()
    {
    }

    public long Requests { get; set; }

    public long Errors { get; set; }

    public int InFlight { get; set; }

    public long[] Latency { get; } = new long[LatencyBuckets.Count];

    public readonly TrafficStats ToStats(int seconds) => new(
        Requests,
        Errors,
        (double)Requests / seconds,
        Requests == 0 ? 0 : (double)Errors / Requests,
        Percentile(0.50),
        Percentile(0.95),
        Percentile(0.99),
        InFlight);

    /// <summary>The upper bound of the bucket holding the request of rank ceil(q x n).</summary>
    public readonly TimeSpan Percentile(double quantile)
    {
        // Ranked against the histogram's own total: a request being recorded may be counted but not yet bucketed.
        long total = 0;
        foreach (var count in Latency)
        {
            total += count;
        }

        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < Latency.Length; i++)
        {
            seen += Latency[i];
            if (seen >= rank)
            {
                return LatencyBuckets.UpperBoundOf(i);
            }
        }

        return LatencyBuckets.UpperBoundOf(Latency.Length - 1);
    }
}

using System.Numerics;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Fixed log-spaced latency buckets in microseconds: 0-7 µs one bucket each, then four buckets per power of two
/// up to about 67 s (the last bucket also takes anything longer). A bucket is at most 25% wider than its lower
/// bound, so a percentile read from them is within 25% of the true value. Index math is integer-only: it runs
/// once per proxied request.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>Number of buckets.</summary>
    public const int Count = Linear + ((MaxOctave - FirstOctave + 1) * PerOctave);

    private const int Linear = 8;
    private const int PerOctave = 4;
    private const int FirstOctave = 3;
    private const int MaxOctave = 25;

    public static int IndexOf(TimeSpan elapsed) => IndexOf(elapsed.Ticks / TimeSpan.TicksPerMicrosecond);

    public static int IndexOf(long microseconds)
    {
        if (microseconds < Linear)
        {
            return microseconds <= 0 ? 0 : (int)microseconds;
        }

        var octave = BitOperations.Log2((ulong)microseconds);
        if (octave > MaxOctave)
        {
            return Count - 1;
        }

        // The two bits after the leading one pick the quarter of the octave.
        var quarter = (int)(microseconds >> (octave - 2)) & 3;
        return Linear + ((octave - FirstOctave) * PerOctave) + quarter;
    }

    /// <summary>The exclusive upper bound of a bucket; percentiles report it, so they are never below the truth.</summary>
    public static TimeSpan UpperBoundOf(int index)
    {
        if (index < Linear)
        {
            return TimeSpan.FromMicroseconds(index + 1);
        }

        var octave = FirstOctave + ((index - Linear) / PerOctave);
        var quarter = (index - Linear) % PerOctave;
        return TimeSpan.FromMicroseconds((5L + quarter) << (octave - 2));
    }
}

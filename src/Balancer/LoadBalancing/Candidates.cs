using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The replicas one pick chooses among (one version, one zone or all zones), built with the plan and read-only
/// afterwards except for the round-robin cursor and the "all warm" latch. Picks allocate nothing.
/// </summary>
internal sealed class Candidates
{
    // A ramping replica is accepted with probability weight/1000; after this many refusals the draw is kept anyway,
    // which bounds the work when every candidate is ramping (then they are all alike and uniform is right).
    private const int MaxDraws = 4;

    private readonly DestinationState[] _destinations;
    private readonly long[] _since;
    private readonly long _warmFrom;
    private volatile bool _warm;
    private int _cursor = -1;

    public Candidates(DestinationState[] destinations, long[] since, long slowStartWindowTicks)
    {
        _destinations = destinations;
        _since = since;
        var latest = since.Length == 0 ? 0 : since.Max();
        _warmFrom = slowStartWindowTicks <= 0 ? 0 : latest + slowStartWindowTicks;
        _warm = _warmFrom == 0;
    }

    public int Count => _destinations.Length;

    public DestinationState Pick(IRandomSource random, TimeProvider time, PickSettings settings)
    {
        var destinations = _destinations;
        var count = destinations.Length;
        if (count == 1)
        {
            return destinations[0];
        }

        if (settings.Picking == DestinationPicking.RoundRobin)
        {
            return destinations[(int)((uint)Interlocked.Increment(ref _cursor) % (uint)count)];
        }

        if (_warm || !StillRamping(time.GetUtcNow().UtcTicks, out var now))
        {
            // Plain power of two choices: two distinct replicas, the one with fewer requests in flight.
            var a = random.NextInt32(count);
            var b = random.NextInt32(count - 1);
            b += b >= a ? 1 : 0;
            return destinations[b].ConcurrentRequestCount < destinations[a].ConcurrentRequestCount ? destinations[b] : destinations[a];
        }

        return PickWeighted(random, settings, now);
    }

    /// <summary>Both choices drawn in proportion to their slow-start weight, then fewest in flight per weight.</summary>
    private DestinationState PickWeighted(IRandomSource random, PickSettings settings, long now)
    {
        var a = Draw(random, settings, now, exclude: -1, out var weightA);
        var b = Draw(random, settings, now, exclude: a, out var weightB);

        // inFlight(a) / weight(a) vs inFlight(b) / weight(b), cross-multiplied to stay in integers.
        var costA = (long)_destinations[a].ConcurrentRequestCount * weightB;
        var costB = (long)_destinations[b].ConcurrentRequestCount * weightA;
        return costB < costA ? _destinations[b] : _destinations[a];
    }

    private int Draw(IRandomSource random, PickSettings settings, long now, int exclude, out int weight)
    {
        var count = _destinations.Length;
        var index = 0;
        weight = SlowStart.Full;
        for (var attempt = 0; attempt < MaxDraws; attempt++)
        {
            if (exclude < 0)
            {
                index = random.NextInt32(count);
            }
            else
            {
                index = random.NextInt32(count - 1);
                index += index >= exclude ? 1 : 0;
            }

            weight = SlowStart.WeightPerMille(_since[index], now, settings.SlowStartWindowTicks, settings.SlowStartMinimumPerMille);
            if (weight >= SlowStart.Full || random.NextInt32(SlowStart.Full) < weight)
            {
                break;
            }
        }

        return index;
    }

    private bool StillRamping(long nowTicks, out long now)
    {
        now = nowTicks;
        if (nowTicks < _warmFrom)
        {
            return true;
        }

        // Latched: past the end of the last ramp, the clock is never read again for this set.
        _warm = true;
        return false;
    }
}

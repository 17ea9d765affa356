using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The replicas one pick chooses among (one version, one zone or all zones), built with the plan and read-only
/// afterwards except for the round-robin cursor, the "all warm" latch and the ramp's starting weight (computed at the
/// first pick that needs it). Picks allocate nothing.
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

    // The ramp's starting weight for this set, per-mille; 0 until the first ramping pick computes it.
    private volatile int _minimumPerMille;

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
            return PickLeastLoaded(random, destinations);
        }

        var minimum = _minimumPerMille;
        if (minimum == 0)
        {
            minimum = StartingWeight(settings, now);
        }

        if (minimum >= SlowStart.Full)
        {
            // Every candidate is new, or the warm ones could not carry the load alone: nobody is slowed.
            _warm = true;
            return PickLeastLoaded(random, destinations);
        }

        return PickWeighted(random, settings, now, minimum);
    }

    /// <summary>Plain power of two choices: two distinct replicas, the one with fewer requests in flight.</summary>
    private static DestinationState PickLeastLoaded(IRandomSource random, DestinationState[] destinations)
    {
        var a = random.NextInt32(destinations.Length);
        var b = random.NextInt32(destinations.Length - 1);
        b += b >= a ? 1 : 0;
        return destinations[b].ConcurrentRequestCount < destinations[a].ConcurrentRequestCount ? destinations[b] : destinations[a];
    }

    /// <summary>
    /// The configured minimum, raised so that the warm candidates never carry more than the warm-load limit times
    /// their fair share (see <see cref="SlowStart.FloorPerMille"/>); full weight when no candidate is warm.
    /// Counted once per set: a set lives until availability changes, and ramps only rise from here.
    /// </summary>
    private int StartingWeight(PickSettings settings, long now)
    {
        var warm = 0;
        foreach (var since in _since)
        {
            warm += now - since >= settings.SlowStartWindowTicks ? 1 : 0;
        }

        var minimum = warm == 0
            ? SlowStart.Full
            : Math.Max(settings.SlowStartMinimumPerMille, SlowStart.FloorPerMille(warm, _since.Length - warm, settings.SlowStartWarmLoadLimit));
        _minimumPerMille = Math.Max(minimum, 1);
        return _minimumPerMille;
    }

    /// <summary>Both choices drawn in proportion to their slow-start weight, then fewest in flight per weight.</summary>
    private DestinationState PickWeighted(IRandomSource random, PickSettings settings, long now, int minimum)
    {
        var a = Draw(random, settings, now, minimum, exclude: -1, out var weightA);
        var b = Draw(random, settings, now, minimum, exclude: a, out var weightB);

        // inFlight(a) / weight(a) vs inFlight(b) / weight(b), cross-multiplied to stay in integers.
        var costA = (long)_destinations[a].ConcurrentRequestCount * weightB;
        var costB = (long)_destinations[b].ConcurrentRequestCount * weightA;
        return costB < costA ? _destinations[b] : _destinations[a];
    }

    private int Draw(IRandomSource random, PickSettings settings, long now, int minimum, int exclude, out int weight)
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

            weight = SlowStart.WeightPerMille(_since[index], now, settings.SlowStartWindowTicks, minimum, settings.SlowStartAggression);
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

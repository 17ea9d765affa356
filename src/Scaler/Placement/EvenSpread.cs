namespace Bollard.Scaler.Placement;

/// <summary>
/// Spreads a total over buckets (zones, or the hosts of a zone) so that no two differ by more than the skew, moving
/// as few replicas as possible: additions go to the least loaded bucket, removals come from the most loaded, and
/// only then is the surplus of the fullest bucket moved to the emptiest until the skew holds. Ties go to the first
/// bucket (callers pass buckets in name order, so plans are deterministic).
/// </summary>
/// <remarks>
/// Moves are minimal: the additions (and so the removals, their difference being fixed) cannot be fewer, which the
/// property tests check against every possible spread of small cases.
/// A skew of 0 cannot hold when the total does not divide evenly; then the skew is 1.
/// </remarks>
internal static class EvenSpread
{
    public static int[] Spread(IReadOnlyList<int> current, int total, int maxSkew)
    {
        var targets = current.Select(c => Math.Max(0, c)).ToArray();
        if (targets.Length == 0)
        {
            return targets;
        }

        var skew = Math.Max(Math.Max(0, maxSkew), total % targets.Length == 0 ? 0 : 1);
        var sum = targets.Sum();
        for (; sum < total; sum++)
        {
            targets[IndexOfLeast(targets)]++;
        }

        for (; sum > total; sum--)
        {
            targets[IndexOfMost(targets)]--;
        }

        for (var (most, least) = (IndexOfMost(targets), IndexOfLeast(targets)); targets[most] - targets[least] > skew; (most, least) = (IndexOfMost(targets), IndexOfLeast(targets)))
        {
            targets[most]--;
            targets[least]++;
        }

        return targets;
    }

    private static int IndexOfLeast(int[] values)
    {
        var index = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[index])
            {
                index = i;
            }
        }

        return index;
    }

    private static int IndexOfMost(int[] values)
    {
        var index = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[index])
            {
                index = i;
            }
        }

        return index;
    }
}

using System.Collections.Immutable;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Keeps the histories small without changing any answer the rules can ask of them. The rules only ask for the
/// largest or smallest value among the entries newer than some cutoff, and the cutoffs only move forward; so an entry
/// that has a newer entry at least as large and a newer entry at least as small can never be the answer again.
/// </summary>
internal static class HistoryCompaction
{
    public static ImmutableArray<TimedCount> Recommendations(IEnumerable<TimedCount> entries, DateTimeOffset cutoff)
    {
        var kept = KeepExtremes(entries.Where(e => e.At > cutoff).ToList(), e => e.Count, keepLargest: true, keepSmallest: true);
        return [.. kept];
    }

    /// <summary>The step limits read the smallest start of the up events and the largest start of the down events.</summary>
    public static ImmutableArray<ScaleEvent> Events(IEnumerable<ScaleEvent> entries, DateTimeOffset cutoff)
    {
        var recent = entries.Where(e => e.At > cutoff).ToList();
        var ups = KeepExtremes([.. recent.Where(e => e.IsUp)], e => e.From, keepLargest: false, keepSmallest: true);
        var downs = KeepExtremes([.. recent.Where(e => !e.IsUp)], e => e.From, keepLargest: true, keepSmallest: false);
        return [.. ups.Concat(downs).OrderBy(e => e.At)];
    }

    private static List<T> KeepExtremes<T>(List<T> entries, Func<T, int> value, bool keepLargest, bool keepSmallest)
    {
        var kept = new List<T>();
        int? newerMax = null, newerMin = null;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var v = value(entries[i]);
            if ((keepLargest && !(v <= newerMax)) || (keepSmallest && !(v >= newerMin)))
            {
                kept.Add(entries[i]);
            }

            newerMax = Math.Max(newerMax ?? v, v);
            newerMin = Math.Min(newerMin ?? v, v);
        }

        kept.Reverse();
        return kept;
    }
}

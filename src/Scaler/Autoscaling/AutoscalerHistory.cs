using System.Collections.Immutable;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// What the autoscaler remembers between decisions of one service: the last count it decided, its recent
/// recommendations (for the stabilization windows) and its recent scale events (for the step limits). Immutable with
/// value equality; the caller keeps the one <see cref="AutoscalePolicy.Decide"/> returns and passes it back next time.
/// </summary>
/// <remarks>
/// Bounded: entries older than the longest window or period are dropped, and an entry that can no longer be the
/// extreme of any window ending now is compacted away (see <see cref="HistoryCompaction"/>), so each list holds at
/// most about twice the number of distinct counts in its window, however often decisions run.
/// Losing the history (a restart) only makes the next decisions less damped: it starts from the live count.
/// </remarks>
public sealed record AutoscalerHistory
{
    public static AutoscalerHistory Empty { get; } = new();

    /// <summary>The count last decided, null before the first decision.</summary>
    public int? LastDesired { get; init; }

    /// <summary>The last decision's recommendation (before stabilization and step limits), null before the first
    /// decision on load. <see cref="ScaleUpTrigger"/> compares fresh load with it.</summary>
    public int? LastRecommendation { get; init; }

    /// <summary>Recent recommendations, oldest first, already clamped to the range.</summary>
    public ImmutableArray<TimedCount> Recommendations { get; init; } = [];

    /// <summary>Recent changes of the decided count, oldest first.</summary>
    public ImmutableArray<ScaleEvent> Events { get; init; } = [];

    public bool Equals(AutoscalerHistory? other) =>
        other is not null
        && LastDesired == other.LastDesired
        && LastRecommendation == other.LastRecommendation
        && Recommendations.SequenceEqual(other.Recommendations)
        && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(LastDesired, LastRecommendation, Recommendations.Length, Events.Length);
}

/// <summary>A recommendation and when it was made.</summary>
public sealed record TimedCount(DateTimeOffset At, int Count);

/// <summary>The decided count changed from <paramref name="From"/> to <paramref name="To"/> at <paramref name="At"/>.</summary>
public sealed record ScaleEvent(DateTimeOffset At, int From, int To)
{
    public bool IsUp => To > From;
}

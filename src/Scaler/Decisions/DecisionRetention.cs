namespace Bollard.Scaler.Decisions;

/// <summary>
/// What the decision log keeps in the state store, per service: the last <see cref="MaxPerService"/> decisions of the
/// last <see cref="MaxAge"/>, whichever is fewer. Stored in segments of at most <see cref="SegmentCapacity"/> decisions
/// (one key each), so that a write never rewrites more than one segment and no value nears Consul's 512 KiB limit.
/// Pure: the store's I/O is in <see cref="DecisionStore"/>.
/// </summary>
internal static class DecisionRetention
{
    public const int MaxPerService = 1000;
    public const int SegmentCapacity = 100;

    /// <summary>A stored reason longer than this is cut (a segment's size stays bounded whatever a reason says).</summary>
    public const int MaxTextLength = 2000;

    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The decisions a service keeps at <paramref name="now"/>, from its stored ones, oldest first.</summary>
    public static IReadOnlyList<Decision> Keep(IEnumerable<Decision> decisions, DateTimeOffset now) =>
        [.. decisions.OrderBy(d => d.At).Where(d => d.At >= now - MaxAge).TakeLast(MaxPerService)];

    /// <summary>A decision as it is stored: its texts cut to <see cref="MaxTextLength"/>.</summary>
    public static Decision Bound(Decision decision) =>
        decision.Reason.Length <= MaxTextLength && decision.Outcome.Length <= MaxTextLength && (decision.Subject?.Length ?? 0) <= MaxTextLength
            ? decision
            : decision with { Reason = Cut(decision.Reason), Outcome = Cut(decision.Outcome), Subject = decision.Subject is null ? null : Cut(decision.Subject) };

    /// <summary>
    /// Where <paramref name="batch"/> goes: first into the last segment while it has room (<paramref name="tail"/>, the
    /// decisions it holds; null when the service has no segment), then into new segments of at most
    /// <see cref="SegmentCapacity"/>.
    /// </summary>
    public static AppendPlan Append(IReadOnlyList<Decision>? tail, IReadOnlyList<Decision> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var room = tail is null ? 0 : Math.Max(0, SegmentCapacity - tail.Count);
        var intoTail = Math.Min(room, batch.Count);
        IReadOnlyList<Decision>? filled = tail is null || intoTail == 0 ? null : [.. tail, .. batch.Take(intoTail)];
        var fresh = batch.Skip(intoTail).Chunk(SegmentCapacity).Select(c => (IReadOnlyList<Decision>)c).ToList();
        return new AppendPlan(filled, fresh);
    }

    /// <summary>
    /// The segments that hold nothing kept any more, oldest first: those whose newest decision is past
    /// <see cref="MaxAge"/>, and those older than the newer segments' first <see cref="MaxPerService"/> decisions. The
    /// newest segment stays unless <paramref name="all"/> (a sweep of services that stopped deciding): the next batch
    /// appends to it.
    /// </summary>
    public static IReadOnlyList<long> Expired(IReadOnlyList<SegmentSummary> segments, DateTimeOffset now, bool all = false)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var ordered = segments.OrderByDescending(s => s.Segment).ToList();
        var expired = new List<long>();
        var newer = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var segment = ordered[i];
            if ((i > 0 || all) && (newer >= MaxPerService || segment.Newest < now - MaxAge))
            {
                expired.Add(segment.Segment);
            }

            newer += segment.Count;
        }

        expired.Reverse();
        return expired;
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");
}

/// <summary>Where a batch goes.</summary>
/// <param name="Tail">The last segment's decisions with the batch's first ones added; null when it takes none.</param>
/// <param name="Fresh">New segments to create after it, in order.</param>
internal sealed record AppendPlan(IReadOnlyList<Decision>? Tail, IReadOnlyList<IReadOnlyList<Decision>> Fresh);

/// <summary>One stored segment of a service's decisions, as retention needs it.</summary>
/// <param name="Segment">Its number (key order).</param>
/// <param name="Count">How many decisions it holds.</param>
/// <param name="Newest">When its newest decision was taken.</param>
internal sealed record SegmentSummary(long Segment, int Count, DateTimeOffset Newest);

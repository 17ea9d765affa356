using Bollard.Scaler.Decisions;

namespace Bollard.Scaler.Tests.Decisions;

public sealed class DecisionRetentionTests
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_service_keeps_its_last_1000_decisions_of_the_last_24_hours_whichever_are_fewer()
    {
        var many = Enumerable.Range(0, 1500).Select(i => At(Now.AddMinutes(-i))).Reverse().ToList();
        var kept = DecisionRetention.Keep(many, Now);
        Assert.Equal(1000, kept.Count);
        Assert.Equal(Now.AddMinutes(-999), kept[0].At);
        Assert.Equal(Now, kept[^1].At);

        var old = Enumerable.Range(0, 50).Select(i => At(Now.AddHours(-30).AddMinutes(i))).Concat([At(Now.AddHours(-23)), At(Now)]).ToList();
        Assert.Equal([Now.AddHours(-23), Now], DecisionRetention.Keep(old, Now).Select(d => d.At));
    }

    [Theory]
    [InlineData(-1, 5, 0, new[] { 5 })]
    [InlineData(0, 5, 5, new int[0])]
    [InlineData(97, 5, 3, new[] { 2 })]
    [InlineData(100, 5, 0, new[] { 5 })]
    [InlineData(40, 250, 60, new[] { 100, 90 })]
    public void A_batch_fills_the_last_segment_then_starts_new_ones(int inTail, int batch, int intoTail, int[] fresh)
    {
        IReadOnlyList<Decision>? tail = inTail < 0 ? null : [.. Enumerable.Range(0, inTail).Select(i => At(Now.AddSeconds(i)))];

        var plan = DecisionRetention.Append(tail, [.. Enumerable.Range(0, batch).Select(i => At(Now.AddMinutes(i)))]);

        Assert.Equal(intoTail, plan.Tail is null ? 0 : plan.Tail.Count - inTail);
        Assert.Equal(fresh, plan.Fresh.Select(f => f.Count));
        Assert.All(plan.Fresh.Append(plan.Tail ?? []), s => Assert.InRange(s.Count, 0, DecisionRetention.SegmentCapacity));
    }

    [Fact]
    public void Segments_older_than_a_day_or_past_the_newest_1000_decisions_expire_but_never_the_newest()
    {
        SegmentSummary[] segments = [.. Enumerable.Range(1, 12).Select(i => new SegmentSummary(i, 100, Now.AddMinutes(-12 + i)))];
        Assert.Equal([1L, 2L], DecisionRetention.Expired(segments, Now));

        // The newest holds only 10: one more old segment is needed to keep 1000.
        segments[^1] = segments[^1] with { Count = 10 };
        Assert.Equal([1L], DecisionRetention.Expired(segments, Now));

        SegmentSummary[] stale = [new(1, 100, Now.AddDays(-3)), new(2, 20, Now.AddDays(-2))];
        Assert.Equal([1L], DecisionRetention.Expired(stale, Now));
        Assert.Equal([1L, 2L], DecisionRetention.Expired(stale, Now, all: true));
    }

    [Fact]
    public void Long_texts_are_cut_when_stored_and_short_ones_are_kept_as_they_are()
    {
        var shortOne = At(Now);
        Assert.Same(shortOne, DecisionRetention.Bound(shortOne));

        var bound = DecisionRetention.Bound(shortOne with { Reason = new string('r', 10_000) });
        Assert.Equal(DecisionRetention.MaxTextLength, bound.Reason.Length);
    }

    private static Decision At(DateTimeOffset at) => new(at, "web", "scale", null, "load", "ok");
}

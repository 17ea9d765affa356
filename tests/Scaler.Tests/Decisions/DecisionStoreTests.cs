using Bollard.Scaler.Decisions;
using Bollard.Scaler.State;
using Bollard.Scaler.Tests.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Decisions;

public sealed class DecisionStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStateStore _state = new();

    [Fact]
    public async Task Decisions_are_read_back_per_service_oldest_first_over_several_segments()
    {
        var store = new DecisionStore(_state, _time);
        for (var batch = 0; batch < 5; batch++)
        {
            await store.AppendAsync([.. Enumerable.Range(0, 45).Select(i => Decision("web", batch * 45 + i)), Decision("api", batch)], default);
        }

        var web = await store.ReadAsync("web", default);
        Assert.Equal(Enumerable.Range(0, 225), web.Select(d => int.Parse(d.Reason, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3, (await _state.ListAsync(StateKeys.Decisions("web"), default)).Count);
        Assert.All(await _state.ListAsync(StateKeys.DecisionsPrefix, default), e => Assert.InRange(DecisionJson.Read(e.Value)!.Length, 1, DecisionRetention.SegmentCapacity));
        Assert.Equal(5, (await store.ReadAsync("api", default)).Count);
        Assert.Equal(230, (await store.ReadAsync(null, default)).Count);
    }

    [Fact]
    public async Task A_service_keeps_its_last_1000_and_old_segments_are_dropped()
    {
        var store = new DecisionStore(_state, _time);
        for (var batch = 0; batch < 25; batch++)
        {
            await store.AppendAsync([.. Enumerable.Range(0, 50).Select(i => Decision("web", batch * 50 + i))], default);
        }

        var kept = await store.ReadAsync("web", default);
        Assert.Equal(1000, kept.Count);
        Assert.Equal("1249", kept[^1].Reason);
        Assert.InRange((await _state.ListAsync(StateKeys.Decisions("web"), default)).Count, 10, 11);
    }

    [Fact]
    public async Task Decisions_older_than_a_day_are_not_shown_and_a_sweep_drops_services_that_stopped_deciding()
    {
        var store = new DecisionStore(_state, _time);
        await store.AppendAsync([Decision("gone", 1), Decision("web", 1)], default);
        _time.Advance(TimeSpan.FromHours(25));
        await store.AppendAsync([Decision("web", 2)], default);

        Assert.Equal(["2"], (await store.ReadAsync(null, default)).Select(d => d.Reason));

        await store.SweepAsync(default);

        Assert.Empty(await _state.ListAsync(StateKeys.Decisions("gone"), default));
        Assert.Equal(["2"], (await store.ReadAsync("web", default)).Select(d => d.Reason));
    }

    [Fact]
    public async Task Two_writers_at_once_lose_none_of_each_others_decisions()
    {
        // Two controllers during a failover's overlap, each with its own knowledge of the segments.
        var first = new DecisionStore(_state, _time);
        var second = new DecisionStore(_state, _time);
        for (var round = 0; round < 30; round++)
        {
            await Task.WhenAll(
                first.AppendAsync([.. Enumerable.Range(0, 7).Select(i => Decision("web", round * 100 + i))], default),
                second.AppendAsync([.. Enumerable.Range(50, 7).Select(i => Decision("web", round * 100 + i))], default));
        }

        var reasons = (await first.ReadAsync("web", default)).Select(d => d.Reason).ToList();
        Assert.Equal(420, reasons.Count);
        Assert.Equal(420, reasons.Distinct().Count());
    }

    private Decision Decision(string service, int n) => new(_time.GetUtcNow().AddTicks(n), service, "scale", null, n.ToString(System.Globalization.CultureInfo.InvariantCulture), "ok");
}

using Bollard.Dashboard;
using Bollard.Scaler.Admin;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>The ring every page reads the dashboard's events from: ids in order, bounded, and gaps detected.</summary>
public sealed class EventRingTests
{
    private const long Start = 1_000_000;

    [Fact]
    public void Events_get_consecutive_ids_after_the_start_and_are_read_in_order()
    {
        var ring = new EventRing(capacity: 8, Start);
        ring.Publish(State(), [("a", "1"), ("b", "2")]);
        ring.Publish(State(), [("c", "3")]);

        var read = new List<DashboardEvent>();
        Assert.True(ring.ReadAfter(Start, read));
        Assert.Equal([Start + 1, Start + 2, Start + 3], read.Select(e => e.Id));
        Assert.Equal(["a", "b", "c"], read.Select(e => e.Type));
        Assert.Equal(Start + 3, ring.Current.Id);

        read.Clear();
        Assert.True(ring.ReadAfter(Start + 2, read));
        Assert.Equal(["c"], read.Select(e => e.Type));
    }

    [Fact]
    public void A_reader_further_behind_than_the_ring_holds_or_with_a_foreign_id_needs_the_state()
    {
        var ring = new EventRing(capacity: 4, Start);
        ring.Publish(State(), [.. Enumerable.Range(1, 10).Select(i => ("e", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

        var read = new List<DashboardEvent>();
        Assert.False(ring.ReadAfter(Start + 5, read), "events 6 and 7 are gone");
        Assert.True(ring.ReadAfter(Start + 6, read), "the last 4 are held");
        Assert.Equal(4, read.Count);
        Assert.False(ring.ReadAfter(Start + 11, []), "an id not given yet (an agent restarted since)");
        Assert.False(ring.ReadAfter(5, []), "an id of an earlier run of the agent");
    }

    [Fact]
    public async Task A_publish_wakes_the_readers_waiting_for_it()
    {
        var ring = new EventRing(capacity: 4, Start);
        var next = ring.NextPublish;
        Assert.False(next.IsCompleted);

        ring.Publish(State(), [("a", "1")]);

        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(ring.NextPublish.IsCompleted);
    }

    private static DashboardState State() => new(DateTimeOffset.UnixEpoch, Array.Empty<ServiceStatus>(), [], [], [], new Dictionary<string, IReadOnlyList<TrafficPoint>>());
}

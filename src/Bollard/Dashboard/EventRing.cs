namespace Bollard.Dashboard;

/// <summary>
/// The dashboard's events, kept in one ring of fixed size shared by every page that watches: a page holds only the id
/// of the last event it was sent, never a queue of its own, so a slow or stalled page costs nothing but its connection.
/// A page that fell further behind than the ring holds (or names an id this process never gave) is sent the whole
/// state again instead. Events and the state they lead to are published together, so a state read with its id is
/// exactly what the events up to that id describe.
/// </summary>
internal sealed class EventRing
{
    private readonly DashboardEvent?[] _ring;
    private readonly Lock _lock = new();
    private readonly long _firstId;
    private long _lastId;
    private DashboardState? _state;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="capacity">How many events are kept.</param>
    /// <param name="start">The id before the first event. Give each process its own (the time it started, in
    /// microseconds), above any earlier one's: an id a page kept from an agent that has restarted since is then
    /// recognised as not this one's, and the page gets the whole state instead of events that do not follow from it.</param>
    public EventRing(int capacity, long start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        _ring = new DashboardEvent?[capacity];
        (_firstId, _lastId) = (start + 1, start);
    }

    public int Capacity => _ring.Length;

    /// <summary>Completes at the next <see cref="Publish"/>; read it before <see cref="ReadAfter"/> so that nothing published in between is missed.</summary>
    public Task NextPublish
    {
        get
        {
            lock (_lock)
            {
                return _published.Task;
            }
        }
    }

    /// <summary>The latest state and the id of the last event that led to it; null state before the first publish.</summary>
    public (DashboardState? State, long Id) Current
    {
        get
        {
            lock (_lock)
            {
                return (_state, _lastId);
            }
        }
    }

    /// <summary>Appends the events (ids assigned in order) and makes <paramref name="state"/> the current state.</summary>
    public void Publish(DashboardState state, IReadOnlyList<(string Type, string Data)> events)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(events);
        TaskCompletionSource published;
        lock (_lock)
        {
            foreach (var (type, data) in events)
            {
                _lastId++;
                _ring[_lastId % _ring.Length] = new DashboardEvent(_lastId, type, data);
            }

            _state = state;
            published = _published;
            _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        published.SetResult();
    }

    /// <summary>
    /// Adds the events after <paramref name="afterId"/> to <paramref name="into"/>, oldest first. False when they are
    /// not all held any more, or when <paramref name="afterId"/> is one this ring never gave: the reader needs the state.
    /// </summary>
    public bool ReadAfter(long afterId, List<DashboardEvent> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            if (afterId < _firstId - 1 || afterId > _lastId || _lastId - afterId > _ring.Length)
            {
                return false;
            }

            for (var id = afterId + 1; id <= _lastId; id++)
            {
                into.Add(_ring[id % _ring.Length]!);
            }

            return true;
        }
    }
}

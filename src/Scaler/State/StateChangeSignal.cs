using System.Runtime.CompilerServices;

namespace Bollard.Scaler.State;

/// <summary>
/// How a store whose only writer is this process (<see cref="LocalStateStore"/>, and the tests' in-memory store) wakes
/// its watchers: every write or delete raises it, and a watcher waits for the next raise after each read. The wait is
/// taken before the read, so a write in between is never missed.
/// </summary>
public sealed class StateChangeSignal
{
    private TaskCompletionSource _next = NewSignal();

    /// <summary>Wakes every watcher now waiting.</summary>
    public void Raise() => Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();

    /// <summary>
    /// What <paramref name="read"/> returns now, then again after each raise that changed it (its version or its bytes:
    /// a key deleted and created again starts over at version 1).
    /// </summary>
    public async IAsyncEnumerable<StateEntry?> WatchAsync(Func<CancellationToken, Task<StateEntry?>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var first = true;
        StateEntry? last = null;
        while (true)
        {
            var next = Volatile.Read(ref _next).Task;
            var entry = await read(cancellationToken);
            if (first || !Same(last, entry))
            {
                first = false;
                last = entry;
                yield return entry;
            }

            await next.WaitAsync(cancellationToken);
        }
    }

    private static bool Same(StateEntry? a, StateEntry? b) =>
        a is null ? b is null : b is not null && a.Version == b.Version && a.Value.Span.SequenceEqual(b.Value.Span);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

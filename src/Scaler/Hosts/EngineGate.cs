using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Hosts;

/// <summary>
/// Lets at most <see cref="EngineLimit.Permits"/> creates run at once on one engine; the rest wait their turn in order.
/// Each answer moves the limit (<see cref="EngineLimit.After"/>): a burst of creates ramps up while the engine keeps
/// answering quickly, and backs off as soon as it slows, instead of piling on until it times out.
/// </summary>
internal sealed class EngineGate(EngineLimitOptions options, TimeProvider time)
{
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly Lock _lock = new();
    private EngineLimit _limit = EngineLimit.Start(options);
    private int _running;

    public EngineLimit Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Creates running now.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Creates waiting for a permit.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Runs one create under the limit, and learns from its answer time.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting or running.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        await EnterAsync(cancellationToken);
        var started = time.GetTimestamp();
        var answered = true;
        try
        {
            return await create(cancellationToken);
        }
        catch (RuntimeUnavailableException)
        {
            answered = false; // timed out or unreachable: the engine is in trouble
            throw;
        }
        finally
        {
            Leave(time.GetElapsedTime(started), answered && !cancellationToken.IsCancellationRequested);
        }
    }

    private Task EnterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_running < _limit.Permits && _waiting.Count == 0)
            {
                _running++;
                return Task.CompletedTask;
            }

            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(turn);
            return WaitForTurnAsync(turn, cancellationToken);
        }
    }

    private static async Task WaitForTurnAsync(TaskCompletionSource turn, CancellationToken cancellationToken)
    {
        // A turn cancelled while waiting stays queued, and Admit skips it (its TrySetResult fails); a turn given just
        // before the cancellation completes normally and runs.
        await using var registration = cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken));
        await turn.Task;
    }

    private void Leave(TimeSpan answer, bool answered)
    {
        lock (_lock)
        {
            _limit = _limit.After(answer, answered, options);
            _running--;
            Admit();
        }
    }

    /// <summary>Gives waiting creates the permits now free (under the lock).</summary>
    private void Admit()
    {
        while (_running < _limit.Permits && _waiting.TryDequeue(out var next))
        {
            if (next.TrySetResult())
            {
                _running++;
            }
        }
    }
}

using Bollard.Scaler.Reconcile;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The cluster-mode <see cref="IReconcileGate"/>: open while this agent holds the controller lock, with a lease.
/// Each leadership round that confirms the lock extends the lease to a moment before which the lock cannot have
/// passed to another agent (see <see cref="ClusterController"/>); an effect is allowed only within it. A pass that
/// finds the lease run out (the process was frozen, or rounds stopped answering) waits for the next round, and stops
/// when it does not confirm the lock.
/// </summary>
/// <param name="time">The clock of the lease (its monotonic timestamps).</param>
/// <param name="confirmationWait">How long an effect waits for a round to confirm a lease that ran out.</param>
public sealed class LeaderGate(TimeProvider time, TimeSpan confirmationWait) : IReconcileGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = NewSignal();
    private TaskCompletionSource _round = NewSignal();
    private long _leaseEnd;

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _open.Task.IsCompleted;
            }
        }
    }

    public Task WaitOpenAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _open.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            Task nextRound;
            lock (_lock)
            {
                if (!_open.Task.IsCompleted)
                {
                    throw new NotLeadingException("this agent no longer controls the cluster");
                }

                if (time.GetTimestamp() < _leaseEnd)
                {
                    return;
                }

                nextRound = _round.Task;
            }

            var left = confirmationWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new NotLeadingException($"this agent's control of the cluster was not confirmed within {confirmationWait.TotalSeconds:0.#} s");
            }

            try
            {
                await nextRound.WaitAsync(left, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Checked again at the top: open but unconfirmed, so it throws.
            }
        }
    }

    /// <summary>
    /// A round confirmed the lock: opens the gate (or keeps it open) with a lease until <paramref name="leaseEnd"/>,
    /// a timestamp of the gate's clock. True when that opened it.
    /// </summary>
    public bool Open(long leaseEnd)
    {
        lock (_lock)
        {
            _leaseEnd = leaseEnd;
            var opened = !_open.Task.IsCompleted;
            _open.TrySetResult();
            EndRound();
            return opened;
        }
    }

    /// <summary>A round did not confirm the lock: closes the gate. True when that closed it.</summary>
    public bool Close()
    {
        lock (_lock)
        {
            _leaseEnd = 0;
            var closed = _open.Task.IsCompleted;
            if (closed)
            {
                _open = NewSignal();
            }

            EndRound();
            return closed;
        }
    }

    private void EndRound()
    {
        var ended = _round;
        _round = NewSignal();
        ended.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

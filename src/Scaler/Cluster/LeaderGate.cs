using Bollard.Scaler.Reconcile;

namespace Bollard.Scaler.Cluster;

/// <summary>The cluster-mode <see cref="IReconcileGate"/>: open while this agent holds the controller lock.</summary>
public sealed class LeaderGate : IReconcileGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = NewClosed();

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

    /// <summary>Opens or closes the gate; true when that changed it.</summary>
    public bool Set(bool open)
    {
        lock (_lock)
        {
            if (open == _open.Task.IsCompleted)
            {
                return false;
            }

            if (open)
            {
                _open.SetResult();
            }
            else
            {
                _open = NewClosed();
            }

            return true;
        }
    }

    private static TaskCompletionSource NewClosed() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

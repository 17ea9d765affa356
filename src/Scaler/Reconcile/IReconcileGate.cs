namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Whether this agent may run reconcile passes now. Always on a single host; in cluster mode only while this agent
/// holds the controller lock: one controller decides for the whole cluster, the others only run their hosts' part.
/// </summary>
public interface IReconcileGate
{
    /// <summary>Whether this agent decides now (it runs the passes, and its deployment records are the fresh ones).</summary>
    bool IsOpen { get; }

    /// <summary>Completes at once while the gate is open, else when it opens.</summary>
    Task WaitOpenAsync(CancellationToken cancellationToken);
}

/// <summary>The single-host gate: always open.</summary>
public sealed class OpenReconcileGate : IReconcileGate
{
    public bool IsOpen => true;

    public Task WaitOpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

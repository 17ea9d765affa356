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

    /// <summary>
    /// Completes when this agent may act right now; called before every effect of a pass (a container created,
    /// stopped or removed, a replica registered or deregistered, a rollout step saved or its weights published), so
    /// that an agent that lost the gate mid-pass (in cluster mode: frozen past its session, or cut off from Consul)
    /// stops before the next effect instead of finishing a pass another controller now owns.
    /// </summary>
    /// <exception cref="NotLeadingException">It may not.</exception>
    Task EnsureOpenAsync(CancellationToken cancellationToken);
}

/// <summary>The single-host gate: always open.</summary>
public sealed class OpenReconcileGate : IReconcileGate
{
    public bool IsOpen => true;

    public Task WaitOpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EnsureOpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Something that must hold before any reconcile pass may act, e.g. the applied specs read back from the state store
/// at start: a pass on older specs could remove replicas that were applied. Checked before every pass.
/// </summary>
public interface IReconcilePrecondition
{
    /// <summary>Completes when passes may run; throws (the pass is skipped and retried with backoff) while they may not.</summary>
    Task EnsureAsync(CancellationToken cancellationToken);
}

namespace Bollard.Scaler.Cluster;

/// <summary>
/// State a cluster's controller holds in memory and must read again from the shared store: when it takes over
/// (another controller may have applied specs or moved rollouts), and while it leads (specs applied through another
/// agent's admin API land in the store, not in this agent's memory).
/// </summary>
public interface IControllerState
{
    /// <exception cref="State.StateStoreUnavailableException">The store cannot be read: this agent must not lead yet.</exception>
    Task TakeOverAsync(CancellationToken cancellationToken);

    /// <exception cref="State.StateStoreUnavailableException">The store cannot be read (the next refresh retries).</exception>
    Task RefreshAsync(CancellationToken cancellationToken);
}

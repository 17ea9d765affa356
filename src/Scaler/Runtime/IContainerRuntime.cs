namespace Bollard.Scaler.Runtime;

/// <summary>
/// The container engine of one host, as the scaler needs it. The Docker adapter (<c>Scaler/Docker</c>) is the
/// only code that speaks to Docker; the reconcile core sees only this port, so its decisions are testable with a
/// fake runtime.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>A short name for logs and errors, e.g. the engine's endpoint.</summary>
    string Endpoint { get; }

    /// <summary>
    /// Every container (running or not) that carries <see cref="ContainerLabels.ManagedBy"/> = <c>bollard</c> and
    /// the given cluster label. Containers of other clusters or not made by Bollard are never returned.
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken);

    /// <summary>Creates and starts a container; pulls nothing (the image must be present on the host).</summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    /// <exception cref="ContainerOperationException">The engine refused (e.g. unknown image); the message says why.</exception>
    Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken);

    /// <summary>Stops a container, killing it after the grace period. An already stopped or missing one is fine.</summary>
    Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Removes a stopped container (forcing it if it still runs). A missing one is fine.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a running container's cumulative CPU usage once (no streaming). Null when the container is missing or not
    /// running: a missing sample is missing data, never zero load.
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Lifecycle events (start, die, destroy, health) of managed containers. Events only wake the reconcile loop; the
    /// loop always re-lists. The stream ends on cancellation or when the engine connection drops (the caller retries).
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached (thrown while enumerating).</exception>
    IAsyncEnumerable<ContainerEvent> WatchEventsAsync(string cluster, CancellationToken cancellationToken);
}

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

    /// <summary>
    /// Creates and starts a container; pulls nothing (the image must be present on the host: the reconciler pulls it
    /// first with <see cref="PullImageAsync"/> when the host's <see cref="ListImagesAsync"/> lacks it).
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    /// <exception cref="ContainerOperationException">The engine refused (e.g. unknown image); the message says why.</exception>
    Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The images the engine holds now; null when this runtime cannot tell (every image then counts as present, and a
    /// create whose image is missing fails and says so).
    /// </summary>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pulls an image from its registry (a pin's registry digest, normally) with this host's registry credentials,
    /// within the engine's pull time limit.
    /// </summary>
    /// <param name="reference">A registry digest or tag; never an image id (no registry serves one).</param>
    /// <param name="progress">Told now and then how far the pull is; may be null.</param>
    /// <param name="cancellationToken">Cancels the pull.</param>
    /// <exception cref="ContainerOperationException">The registry or the engine refused (no such image, not
    /// authorized, registry unreachable), or the pull did not finish in time; the message says which.</exception>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken);

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

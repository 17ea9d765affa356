namespace Bollard.Discovery;

/// <summary>
/// Where replicas are: the port every part of Bollard uses to register replicas and to learn which are healthy.
/// Two adapters: <c>Consul</c> (a real Consul agent over its HTTP API) and <c>Embedded</c> (in-process, for a
/// single host with no Consul). Both behave the same; one contract test suite runs against each.
/// </summary>
public interface IServiceCatalog
{
    /// <summary>Registers (or re-registers) a replica with its health check.</summary>
    /// <exception cref="CatalogUnavailableException">The catalog cannot be reached.</exception>
    Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken);

    /// <summary>Removes a replica; removing an unknown id is not an error.</summary>
    /// <exception cref="CatalogUnavailableException">The catalog cannot be reached.</exception>
    Task DeregisterAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The names of the services that have at least one registered instance (healthy or not).</summary>
    Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken);

    /// <summary>The healthy (passing) instances of a service now.</summary>
    Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken);

    /// <summary>
    /// A stream of the healthy instances of a service: the current snapshot first, then a new one each time the
    /// set changes (never two equal snapshots in a row). Transient catalog failures are retried with backoff
    /// inside the stream; the stream ends only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(string service, CancellationToken cancellationToken);
}

using Bollard.Discovery;

namespace Bollard.Scaler.Hosts;

/// <summary>Puts replicas of one host into the catalog and takes them out (the part of <see cref="IServiceCatalog"/> the applier writes).</summary>
public interface IReplicaRegistrar
{
    /// <exception cref="CatalogUnavailableException">The catalog (or the host's agent) cannot be reached.</exception>
    Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken);

    /// <exception cref="CatalogUnavailableException">The catalog (or the host's agent) cannot be reached.</exception>
    Task DeregisterAsync(string instanceId, CancellationToken cancellationToken);
}

/// <summary>Registers in a catalog this process speaks to directly (the embedded one, or the local Consul agent).</summary>
public sealed class CatalogRegistrar(IServiceCatalog catalog) : IReplicaRegistrar
{
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) => catalog.RegisterAsync(registration, cancellationToken);

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken) => catalog.DeregisterAsync(instanceId, cancellationToken);
}

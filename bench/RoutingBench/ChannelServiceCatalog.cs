using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bollard.Discovery;

namespace Bollard.Bench.Routing;

/// <summary>
/// A catalog whose watches deliver exactly what the benchmark pushes, with no I/O: it isolates the balancer's own
/// rebuild and publish from Consul. Only the watch side is implemented; the balancer needs nothing else.
/// </summary>
internal sealed class ChannelServiceCatalog : IServiceCatalog
{
    private readonly ConcurrentDictionary<string, Channel<ServiceSnapshot>> _channels = new(StringComparer.Ordinal);

    public void Push(ServiceSnapshot snapshot) => ChannelOf(snapshot.Service).Writer.TryWrite(snapshot);

    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var snapshot in ChannelOf(service).Reader.ReadAllAsync(cancellationToken))
        {
            yield return snapshot;
        }
    }

    public Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only watches.");

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only watches.");

    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only watches.");

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only watches.");

    private Channel<ServiceSnapshot> ChannelOf(string service) =>
        _channels.GetOrAdd(service, _ => Channel.CreateUnbounded<ServiceSnapshot>(new UnboundedChannelOptions { SingleReader = true }));
}

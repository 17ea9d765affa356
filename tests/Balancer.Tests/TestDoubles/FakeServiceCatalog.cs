using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bollard.Discovery;

namespace Bollard.Balancer.Tests.TestDoubles;

/// <summary>
/// A catalog whose watch streams are fed by the test: each service has a channel of snapshots (or exceptions to
/// throw from the stream). Counters let a test wait until the consumer has processed what it was given.
/// </summary>
internal sealed class FakeServiceCatalog : IServiceCatalog
{
    private readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);

    public void Push(string service, params ServiceInstance[] instances) => FeedOf(service).Push(new ServiceSnapshot(service, instances));

    /// <summary>The next read of the service's watch stream throws <paramref name="exception"/>.</summary>
    public void Fail(string service, Exception exception) => FeedOf(service).Push(exception);

    /// <summary>Items (snapshots or failures) a watcher has taken and finished processing.</summary>
    public int Consumed(string service) => Volatile.Read(ref FeedOf(service).Consumed);

    public int WatchesStarted(string service) => Volatile.Read(ref FeedOf(service).Started);

    public int ActiveWatches(string service) => Volatile.Read(ref FeedOf(service).Active);

    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(
        string service,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feed = FeedOf(service);
        Interlocked.Increment(ref feed.Started);
        Interlocked.Increment(ref feed.Active);
        try
        {
            while (true)
            {
                var item = await feed.Items.Reader.ReadAsync(cancellationToken);
                if (item is Exception exception)
                {
                    Interlocked.Increment(ref feed.Consumed);
                    throw exception;
                }

                yield return (ServiceSnapshot)item;

                // Resumed: the consumer asked for the next item, so it has finished with this one.
                Interlocked.Increment(ref feed.Consumed);
            }
        }
        finally
        {
            Interlocked.Decrement(ref feed.Active);
        }
    }

    public Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken) =>
        Task.FromResult(FeedOf(service).Last ?? ServiceSnapshot.Empty(service));

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _feeds.Keys]);

    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only reads the catalog.");

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The balancer only reads the catalog.");

    private Feed FeedOf(string service) => _feeds.GetOrAdd(service, _ => new Feed());

    private sealed class Feed
    {
        public readonly Channel<object> Items = Channel.CreateUnbounded<object>();
        public int Consumed;
        public int Started;
        public int Active;

        public ServiceSnapshot? Last { get; private set; }

        public void Push(object item)
        {
            if (item is ServiceSnapshot snapshot)
            {
                Last = snapshot;
            }

            Items.Writer.TryWrite(item);
        }
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Bollard.Discovery;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Health;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.State;
using Bollard.Scaler.Traffic;

namespace Bollard.Bench.Scaling;

/// <summary>An engine in memory: creates are running at once, on a fresh host port.</summary>
internal sealed class FakeRuntime(string endpoint) : IContainerRuntime
{
    private static int s_nextPort = 30000;
    private static long s_nextId;
    private readonly ConcurrentDictionary<string, ObservedContainer> _containers = new(StringComparer.Ordinal);

    public string Endpoint { get; } = endpoint;

    public int Count => _containers.Count;

    public Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ObservedContainer>>([.. _containers.Values]);

    public Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        // 64 hex characters like Docker's; the first 12 (the short id, used in catalog ids) must be unique.
        var id = Interlocked.Increment(ref s_nextId).ToString("x12", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N") + "00000000000000000000";
        var container = new ObservedContainer(
            id, request.Name, request.Labels[ContainerLabels.Service], request.Labels[ContainerLabels.Version], request.Labels[ContainerLabels.Zone],
            ContainerRunState.Running, request.PublishAddress, Interlocked.Increment(ref s_nextPort), DateTimeOffset.UtcNow)
        { Labels = request.Labels };
        _containers[id] = container;
        return Task.FromResult(container);
    }

    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (_containers.TryGetValue(containerId, out var c))
        {
            _containers[containerId] = c with { State = ContainerRunState.Stopped, HostPort = null };
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        _containers.TryRemove(containerId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Cannot tell its images: every image counts as present (the bench measures passes, not pulls).</summary>
    public Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken) => Task.FromResult<ImageInventory?>(null);

    public Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken) =>
        Task.FromException<ImagePullResult>(new ContainerOperationException($"the bench's engine pulls nothing ({reference})"));

    /// <summary>No CPU figures: the bench scales on requests per second, not CPU.</summary>
    public Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult<ContainerCpuSample?>(null);

    /// <summary>Makes a running container exit (as a crash would), for the churn pass.</summary>
    public bool Crash(string containerId)
    {
        if (!_containers.TryGetValue(containerId, out var c))
        {
            return false;
        }

        _containers[containerId] = c with { State = ContainerRunState.Stopped, HostPort = null };
        return true;
    }

    public IReadOnlyList<ObservedContainer> Snapshot() => [.. _containers.Values];

    public async IAsyncEnumerable<ContainerEvent> WatchEventsAsync(string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}

/// <summary>A catalog in memory (registrations in a dictionary); no watches are needed by the scaler.</summary>
internal sealed class FakeCatalog : IServiceCatalog
{
    private readonly ConcurrentDictionary<string, ServiceRegistration> _registrations = new(StringComparer.Ordinal);

    public int Count => _registrations.Count;

    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        _registrations[registration.Id] = registration;
        return Task.CompletedTask;
    }

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken)
    {
        _registrations.TryRemove(instanceId, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _registrations.Values.Select(r => r.Service).Distinct()]);

    public Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken) =>
        Task.FromResult(new ServiceSnapshot(service, _registrations.Values.Where(r => r.Service == service).Select(r => r.ToInstance())));

    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(string service, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return await GetHealthyAsync(service, cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

/// <summary>Every probe passes at once (no I/O): the pass's own cost is measured, not the replicas'.</summary>
internal sealed class InstantProber : IReplicaProber
{
    private static readonly Task<bool> Passed = Task.FromResult(true);

    public Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken) => Passed;
}

/// <summary>A constant load per service: requests/s = per-replica target x the wanted replicas, so the autoscaler holds.</summary>
internal sealed class ConstantLoad(double requestsPerSecond, TimeProvider time) : IServiceLoadSource
{
    public ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken) =>
        ValueTask.FromResult<LoadSnapshot?>(new LoadSnapshot(time.GetUtcNow(), replicas, requestsPerSecond, 1, 5));
}

/// <summary>A key/value store in memory with the CAS semantics of <see cref="IStateStore"/>.</summary>
internal sealed class MemoryStateStore : IStateStore
{
    private readonly Dictionary<string, StateEntry> _entries = new(StringComparer.Ordinal);

    public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.GetValueOrDefault(key));
        }
    }

    public Task<bool> TryPutAsync(string key, ReadOnlyMemory<byte> value, ulong expectedVersion, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            var current = _entries.GetValueOrDefault(key)?.Version ?? 0;
            if (current != expectedVersion)
            {
                return Task.FromResult(false);
            }

            _entries[key] = new StateEntry(key, value.ToArray(), current + 1);
            return Task.FromResult(true);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Remove(key);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult<IReadOnlyList<StateEntry>>([.. _entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal)]);
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Bollard.Discovery;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Health;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.State;
using Bollard.Scaler.Traffic;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>An engine in memory: a create is running at once on a fresh host port, created at the fake clock's now.</summary>
/// <param name="time">The fake clock.</param>
/// <param name="firstId">Where its container ids start: engines of one test must not share ids (real ones never do).</param>
internal sealed class InMemoryRuntime(TimeProvider time, int firstId = 0) : IContainerRuntime
{
    private readonly ConcurrentDictionary<string, ObservedContainer> _containers = new(StringComparer.Ordinal);
    private int _next = firstId;

    public string Endpoint => "memory://h1";

    public IReadOnlyList<ObservedContainer> Containers => [.. _containers.Values];

    /// <summary>The images it holds; null (the default) cannot tell, and then every image is there, as an engine that
    /// does not list them. Set, a create of an image it lacks fails as the engine's does.</summary>
    public ImageInventory? Images { get; set; }

    /// <summary>The images pulled, in order.</summary>
    public ConcurrentQueue<string> Pulls { get; } = new();

    /// <summary>What a pull does before the image is there (a test makes it wait, or fail by throwing).</summary>
    public Func<string, Task>? OnPull { get; set; }

    public Task<IReadOnlyList<ObservedContainer>> ListManagedAsync(string cluster, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ObservedContainer>>([.. _containers.Values]);

    public Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken) => Task.FromResult(Images);

    public async Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        Pulls.Enqueue(reference);
        progress?.Report(new ImagePullProgress(2, 1, 100, 200));
        if (OnPull is { } onPull)
        {
            await onPull(reference);
        }

        Images = new ImageInventory([.. Images?.References ?? [], reference]);
        return new ImagePullResult(reference, TimeSpan.FromSeconds(1), 2, 2, 200);
    }

    public Task<ObservedContainer> CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        if (Images is { } images && !images.Holds(request.Image))
        {
            return Task.FromException<ObservedContainer>(new ContainerOperationException($"image '{request.Image}' is not present on {Endpoint}"));
        }

        var n = Interlocked.Increment(ref _next);
        var container = new ObservedContainer(
            n.ToString("x64", CultureInfo.InvariantCulture), request.Name, request.Labels[ContainerLabels.Service], request.Labels[ContainerLabels.Version],
            request.Labels[ContainerLabels.Zone], ContainerRunState.Running, request.PublishAddress, 30000 + n, time.GetUtcNow())
        { Labels = request.Labels };
        _containers[container.Id] = container;
        return Task.FromResult(container);
    }

    public Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        _containers.TryRemove(containerId, out _);
        return Task.CompletedTask;
    }

    public Task<ContainerCpuSample?> SampleCpuAsync(string containerId, CancellationToken cancellationToken) => Task.FromResult<ContainerCpuSample?>(null);

    public async IAsyncEnumerable<ContainerEvent> WatchEventsAsync(string cluster, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }
}

/// <summary>Registrations in a dictionary; the scaler only registers and deregisters.</summary>
internal sealed class InMemoryCatalog : IServiceCatalog
{
    private readonly ConcurrentDictionary<string, ServiceRegistration> _registrations = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Ids => [.. _registrations.Keys];

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

/// <summary>Health answers switched by the test: every replica fails until <see cref="Up"/> is set.</summary>
internal sealed class SwitchedProber : IReplicaProber
{
    private int _probes;

    public volatile bool Up;

    public int Probes => Volatile.Read(ref _probes);

    public Task<bool> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _probes);
        return Task.FromResult(Up);
    }
}

/// <summary>A service-wide request rate set by the test, observed at the fake clock's now.</summary>
internal sealed class SettableLoad(TimeProvider time) : IServiceLoadSource
{
    public volatile float RequestsPerSecond;

    public ValueTask<LoadSnapshot?> ReadAsync(string service, int replicas, CancellationToken cancellationToken) =>
        ValueTask.FromResult<LoadSnapshot?>(new LoadSnapshot(time.GetUtcNow(), replicas, RequestsPerSecond));
}

/// <summary>A key/value store in memory with the compare-and-set semantics of <see cref="IStateStore"/>.</summary>
internal sealed class InMemoryStateStore : IStateStore
{
    private readonly Dictionary<string, StateEntry> _entries = new(StringComparer.Ordinal);
    private readonly StateChangeSignal _changed = new();

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
        }

        _changed.Raise();
        return Task.FromResult(true);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Remove(key);
        }

        _changed.Raise();
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<StateEntry?> WatchAsync(string key, CancellationToken cancellationToken) =>
        _changed.WatchAsync(ct => GetAsync(key, ct), cancellationToken);

    public Task<IReadOnlyList<StateEntry>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult<IReadOnlyList<StateEntry>>([.. _entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))]);
        }
    }
}

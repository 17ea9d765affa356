using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Discovery.Embedded;

/// <summary>
/// An in-process <see cref="IServiceCatalog"/> for a single host without Consul. It behaves like a Consul agent:
/// it runs each registration's HTTP check on its interval, turns it critical after FailuresBeforeCritical failed
/// probes in a row, and forgets a registration critical for longer than its DeregisterCriticalAfter. State is an immutable dictionary swapped
/// under a lock; every swap completes a signal that wakes the watchers, which republish only on change.
/// </summary>
public sealed partial class EmbeddedServiceCatalog : IServiceCatalog, IAsyncDisposable, IDisposable
{
    private readonly Lock gate = new();
    private readonly IHealthProber prober;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private volatile ImmutableDictionary<string, EmbeddedEntry> entries =
        ImmutableDictionary.Create<string, EmbeddedEntry>(StringComparer.Ordinal);

    private TaskCompletionSource changed = NewSignal();

    /// <summary>Creates the catalog and starts its check loop; dispose it to stop the loop.</summary>
    /// <param name="prober">Runs the health checks, e.g. <see cref="HttpHealthProber"/>.</param>
    /// <param name="timeProvider">Clock for check intervals and deregistration; the system clock when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public EmbeddedServiceCatalog(
        IHealthProber prober,
        TimeProvider? timeProvider = null,
        ILogger<EmbeddedServiceCatalog>? logger = null)
        : this(prober, timeProvider, logger, startChecks: true)
    {
    }

    /// <summary>Tests pass <paramref name="startChecks"/> false and drive <see cref="CheckOnceAsync"/> themselves.</summary>
    internal EmbeddedServiceCatalog(IHealthProber prober, TimeProvider? timeProvider, ILogger? logger, bool startChecks)
    {
        ArgumentNullException.ThrowIfNull(prober);
        this.prober = prober;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        checkLoop = startChecks ? Task.Run(RunChecksAsync) : Task.CompletedTask;
    }

    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (gate)
        {
            Publish(entries.SetItem(registration.Id, EmbeddedEntry.Registered(registration, timeProvider.GetUtcNow())));
        }

        LogRegistered(logger, registration.Id, registration.Service, registration.Version, registration.Zone);
        WakeChecks();
        return Task.CompletedTask;
    }

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        lock (gate)
        {
            if (entries.ContainsKey(instanceId))
            {
                Publish(entries.Remove(instanceId));
                LogDeregistered(logger, instanceId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(
            [.. entries.Values.Select(e => e.Registration.Service).Distinct().Order(StringComparer.Ordinal)]);

    public Task<ServiceSnapshot> GetHealthyAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        return Task.FromResult(Healthy(entries, service));
    }

    public async IAsyncEnumerable<ServiceSnapshot> WatchHealthyAsync(
        string service,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ServiceSnapshot? last = null;
        while (true)
        {
            // Take the signal before reading the state: a change after the read then always completes this signal.
            var signal = Volatile.Read(ref changed).Task;
            var snapshot = Healthy(entries, service);
            if (!snapshot.Equals(last))
            {
                last = snapshot;
                yield return snapshot;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static ServiceSnapshot Healthy(ImmutableDictionary<string, EmbeddedEntry> state, string service) =>
        new(service, state.Values
            .Where(e => e.Passing && e.Registration.Service == service)
            .Select(e => e.Registration.ToInstance()));

    /// <summary>Swaps in new state and wakes the watchers. Callers hold <see cref="gate"/>.</summary>
    private void Publish(ImmutableDictionary<string, EmbeddedEntry> next, bool signal = true)
    {
        entries = next;
        if (signal)
        {
            Interlocked.Exchange(ref changed, NewSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using System.Threading.Channels;
using Bollard.Balancer.Weights;
using Bollard.Discovery;
using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Keeps YARP's routing in step with the catalog: one catalog watch per routed service, the latest snapshot of
/// each kept here, and a rebuild after any change: at once after a quiet spell, at most once per debounce during a
/// burst (see <see cref="RebuildPacing"/>). Static
/// stability: a failing watch keeps its service's last known destinations until the watch recovers, and at start
/// the snapshot saved on disk serves until the catalog answers. Version weights changes trigger a rebuild too.
/// </summary>
internal sealed partial class CatalogRoutingWatcher : SupervisedBackgroundService
{
    private readonly IServiceCatalog _catalog;
    private readonly IServiceRouteSource _routes;
    private readonly IVersionWeightSource _weights;
    private readonly SnapshotProxyConfigProvider _provider;
    private readonly TimeProvider _time;
    private readonly BalancerOptions _options;
    private readonly ILogger _logger;

    // Guards _watches and _latest; never held across an await.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServiceWatch> _watches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceSnapshot> _latest = new(StringComparer.Ordinal);

    // "Something changed": capacity one, so any number of changes before the next rebuild collapse into one.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private IChangeToken? _routesToken;

    public CatalogRoutingWatcher(
        IServiceCatalog catalog,
        IServiceRouteSource routes,
        IVersionWeightSource weights,
        SnapshotProxyConfigProvider provider,
        TimeProvider time,
        IOptions<BalancerOptions> options,
        ILogger<CatalogRoutingWatcher> logger,
        LoopHealth? health = null)
        : base("routing", health ?? LoopHealth.Detached(time))
    {
        _catalog = catalog;
        _routes = routes;
        _weights = weights;
        _provider = provider;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        IDisposable? routesRegistration = null;
        using var weightsRegistration = ChangeToken.OnChange(_weights.GetChangeToken, Signal);
        try
        {
            // Only at the first start: a loop restarted after a failure keeps what it has published since.
            if (_provider.Revision == 0)
            {
                LoadSavedSnapshot();
            }

            routesRegistration = SyncRoutes(stoppingToken);
            Signal();
            long? lastRebuild = null;
            while (await _changed.Reader.WaitToReadAsync(stoppingToken))
            {
                Status.BeginPass();
                // A change after a quiet spell is rebuilt at once (no fixed delay on every change); one that follows a
                // rebuild closely waits out the rest of the debounce, taking every change of the burst with it.
                var wait = RebuildPacing.Wait(_options.RoutingDebounce, lastRebuild is { } last ? _time.GetElapsedTime(last) : null);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stoppingToken);
                }

                _changed.Reader.TryRead(out _);
                if (_routesToken is { HasChanged: true })
                {
                    routesRegistration.Dispose();
                    routesRegistration = SyncRoutes(stoppingToken);
                }

                RebuildOnce();
                Status.Succeeded();
                lastRebuild = _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            routesRegistration?.Dispose();
            await StopAllWatchesAsync();
        }
    }

    /// <summary>Records the latest healthy snapshot of a service and asks for a rebuild.</summary>
    internal void Apply(ServiceSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            _latest[snapshot.Service] = snapshot;
        }

        Signal();
    }

    /// <summary>Builds the snapshot from the current routes and the latest catalog state; publishes it if it changed.</summary>
    /// <returns>True when a changed snapshot was published.</returns>
    internal bool RebuildOnce()
    {
        Dictionary<string, ServiceSnapshot> latest;
        lock (_lock)
        {
            latest = new Dictionary<string, ServiceSnapshot>(_latest, StringComparer.Ordinal);
        }

        var previous = _provider.Snapshot;
        RoutingSnapshot next;
        try
        {
            next = RoutingSnapshotBuilder.Build(_routes.Current, latest, _weights.Current, previous, _time.GetUtcNow());
        }
        catch (ArgumentException ex)
        {
            // Keep serving the last good snapshot; the next route change gets another chance.
            Log.RebuildFailed(_logger, ex);
            return false;
        }

        if (!_provider.Publish(next))
        {
            return false;
        }

        LogChanges(previous, next);
        return true;
    }

    private void Signal() => _changed.Writer.TryWrite(true);

    /// <summary>Starts watches for newly routed services and stops those of services no longer routed.</summary>
    private IDisposable SyncRoutes(CancellationToken stoppingToken)
    {
        // Take the token before reading the routes, so a change in between still fires it.
        _routesToken = _routes.GetChangeToken();
        var registration = _routesToken.RegisterChangeCallback(static state => ((CatalogRoutingWatcher)state!).Signal(), this);
        // No answer from the route source yet: the services of the snapshot in service (e.g. the one saved on disk) stay.
        var wanted = (_routes.Current ?? RoutingSnapshotBuilder.RoutesOf(_provider.Snapshot)).Select(r => r.Service).ToHashSet(StringComparer.Ordinal);

        List<ServiceWatch> removed;
        lock (_lock)
        {
            removed = [.. _watches.Where(w => !wanted.Contains(w.Key)).Select(w => w.Value)];
            foreach (var watch in removed)
            {
                _watches.Remove(watch.Service);
                _latest.Remove(watch.Service);
            }

            foreach (var service in wanted.Where(s => !_watches.ContainsKey(s)))
            {
                _watches[service] = ServiceWatch.Start(service, token => WatchAsync(service, token), stoppingToken);
            }
        }

        // Stopped outside the lock (cancellation may run continuations inline); a stopped watch can no longer
        // write its snapshot because it is not the current watch of its service any more.
        foreach (var watch in removed)
        {
            _ = watch.StopAsync();
        }

        return registration;
    }

    private async Task StopAllWatchesAsync()
    {
        List<ServiceWatch> watches;
        lock (_lock)
        {
            watches = [.. _watches.Values];
            _watches.Clear();
        }

        await Task.WhenAll(watches.Select(w => w.StopAsync()));
    }
}

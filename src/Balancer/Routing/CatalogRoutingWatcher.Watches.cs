using Bollard.Discovery;

namespace Bollard.Balancer.Routing;

internal sealed partial class CatalogRoutingWatcher
{
    /// <summary>
    /// Follows one service's healthy instances until cancelled. Never throws: a failed or ended stream is logged
    /// and re-opened after <see cref="BalancerOptions.WatchRetryDelay"/>, and the service keeps its last known
    /// destinations meanwhile (a catalog outage must not empty the routing table).
    /// </summary>
    private async Task WatchAsync(string service, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var snapshot in _catalog.WatchHealthyAsync(service, cancellationToken))
                {
                    if (!TryRecord(service, snapshot, cancellationToken))
                    {
                        return;
                    }
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                Log.WatchEnded(_logger, service, _options.WatchRetryDelay);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever the adapter throws, the watch must survive it: that is the point of it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.WatchFailed(_logger, service, _options.WatchRetryDelay, ex);
            }

            try
            {
                await Task.Delay(_options.WatchRetryDelay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Records a watched snapshot unless this watch was stopped (its service may have been removed).</summary>
    private bool TryRecord(string service, ServiceSnapshot snapshot, CancellationToken watchToken)
    {
        lock (_lock)
        {
            if (!_watches.TryGetValue(service, out var current) || current.Token != watchToken)
            {
                return false;
            }

            _latest[service] = snapshot;
        }

        Signal();
        return true;
    }

    /// <summary>One running catalog watch and the means to stop it.</summary>
    private sealed class ServiceWatch
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task _running;

        private ServiceWatch(string service, CancellationTokenSource stop, Func<CancellationToken, Task> watch)
        {
            Service = service;
            _stop = stop;
            Token = stop.Token;
            // Task.Run: the watch's first steps must not run on the caller's thread, which holds the lock.
            _running = Task.Run(() => watch(Token), CancellationToken.None);
        }

        public string Service { get; }

        public CancellationToken Token { get; }

        public static ServiceWatch Start(string service, Func<CancellationToken, Task> watch, CancellationToken stoppingToken) =>
            new(service, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken), watch);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _running;
            }
            finally
            {
                _stop.Dispose();
            }
        }
    }
}

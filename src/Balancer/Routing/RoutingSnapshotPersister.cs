using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Routing;

/// <summary>
/// Keeps <see cref="BalancerOptions.SnapshotFile"/> equal to the published snapshot: writes after a publish, only
/// when the snapshot differs from the one last written, and at most once per <see cref="MinInterval"/> (a burst of
/// publishes becomes one write of the latest). Nothing is written before the first publish, so an empty start
/// never overwrites a good file. A failed write is logged and retried at the next publish.
/// </summary>
internal sealed partial class RoutingSnapshotPersister : SupervisedBackgroundService
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly SnapshotProxyConfigProvider _provider;
    private readonly TimeProvider _time;
    private readonly string? _path;
    private readonly ILogger _logger;
    private RoutingSnapshot? _written;

    public RoutingSnapshotPersister(SnapshotProxyConfigProvider provider, TimeProvider time, IOptions<BalancerOptions> options, ILogger<RoutingSnapshotPersister> logger, LoopHealth? health = null)
        : base("routing-snapshot-file", health ?? LoopHealth.Detached(time))
    {
        _provider = provider;
        _time = time;
        _path = options.Value.SnapshotFile;
        _logger = logger;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_path is null)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Token first, then the write: a publish in between fires the token and is written next round. A
                // write is followed by a pause, so a burst of publishes is written once, as its latest, after it.
                var changed = _provider.GetConfig().ChangeToken;
                if (WriteOnce())
                {
                    await Task.Delay(MinInterval, _time, stoppingToken);
                }

                await WaitAsync(changed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: keep what was published during the last interval.
            WriteOnce();
        }
    }

    /// <summary>Writes the published snapshot if it was published at all and differs from the last written.</summary>
    /// <returns>True when the file was written.</returns>
    internal bool WriteOnce()
    {
        var snapshot = _provider.Snapshot;
        if (_path is null || _provider.Revision == 0 || snapshot.Equals(_written))
        {
            return false;
        }

        try
        {
            RoutingSnapshotFile.Write(_path, snapshot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_logger, _path, e.Message);
            return false;
        }

        _written = snapshot;
        Log.Written(_logger, _path, snapshot.Services.Length);
        return true;
    }

    private static async Task WaitAsync(IChangeToken token, CancellationToken cancellationToken)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = token.RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), fired);
        await fired.Task.WaitAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(31, LogLevel.Debug, "Routing snapshot written to {Path} ({Services} services).")]
        public static partial void Written(ILogger logger, string path, int services);

        [LoggerMessage(32, LogLevel.Warning, "Could not write the routing snapshot to {Path}; retrying at the next change: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string path, string reason);
    }
}

using System.Text;
using Bollard.Balancer.Metrics;
using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Logging;

namespace Bollard.Balancer.AccessLogs;

/// <summary>
/// Writes every listener's queued lines to its file (appending; "-": standard output), flushing whenever its queue is
/// empty, so a burst is written in large writes and a quiet log is on disk at once. Counts dropped lines into the
/// metric as it goes. On stop, the lines already queued are written before the file is closed.
/// </summary>
internal sealed partial class AccessLogWriter(AccessLogs logs, BalancerMetrics metrics, LoopHealth health, ILogger<AccessLogWriter> logger)
    : SupervisedBackgroundService("access-log", health)
{
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in logs.All)
        {
            queue.Complete();
        }

        return base.StopAsync(cancellationToken);
    }

    protected override Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(logs.All.Select(queue => Task.Run(() => WriteAsync(queue, stoppingToken), CancellationToken.None)));

    private async Task WriteAsync(AccessLogQueue queue, CancellationToken stoppingToken)
    {
        var options = queue.Options;
        Stream? file = null;
        try
        {
            file = options.File == "-"
                ? Console.OpenStandardOutput()
                : new FileStream(options.File, new FileStreamOptions
                {
                    Mode = FileMode.Append,
                    Access = FileAccess.Write,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
                });
            await using var writer = new StreamWriter(file, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
            long droppedSeen = 0;
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
            {
                while (queue.Reader.TryRead(out var entry))
                {
                    await writer.WriteAsync(AccessLogLine.Format(entry, options.Format));
                    await writer.WriteAsync('\n');
                }

                await writer.FlushAsync(CancellationToken.None);
                var dropped = queue.Dropped;
                if (dropped > droppedSeen)
                {
                    metrics.AccessLogDropped(options.Port, dropped - droppedSeen);
                    droppedSeen = dropped;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The balancer keeps serving; without its file the log drops every line, counted.
            LogCannotWrite(options.File, e.Message);
            file?.Dispose();
            await foreach (var _ in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                metrics.AccessLogDropped(options.Port, 1);
            }
        }
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "Cannot write the access log {File}: {Problem}; its lines are dropped and counted in bollard_balancer_access_log_dropped_total")]
    private partial void LogCannotWrite(string file, string problem);
}

using System.Text.Json;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Dashboard;

/// <summary>
/// The loop behind <c>GET /v1/events</c>: once a second it samples the balancer's traffic window (always, so a page
/// opened later still shows the last minute), and while at least one page watches it reads the whole state, compares
/// it with the last one published and publishes what changed into the <see cref="EventRing"/>. Nothing is read for
/// the dashboard while nobody watches, and however many pages watch, the state is read once per tick.
/// </summary>
internal sealed partial class DashboardFeed(
    DashboardSampler sampler,
    TrafficHistory traffic,
    IServiceSpecSource specs,
    EventRing ring,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    TimeProvider time,
    LoopHealth health,
    ILogger<DashboardFeed> logger) : SupervisedBackgroundService("dashboard feed", health)
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private int _watchers;
    private DashboardState? _published;

    /// <summary>Pages watching now.</summary>
    public int Watchers => Volatile.Read(ref _watchers);

    /// <summary>Counts a page as watching until the returned value is disposed.</summary>
    public IDisposable Watch()
    {
        Interlocked.Increment(ref _watchers);
        return new Unwatch(this);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            await TickAsync(stoppingToken);
            Status.Succeeded();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One tick: sample the traffic; when watched, read the state and publish what changed.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sampled = traffic.Sample([.. specs.Current.Select(s => s.Name)], now);
        if (Watchers == 0)
        {
            return;
        }

        DashboardState state;
        try
        {
            state = await sampler.ReadAsync(now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The pages keep the last state; the next tick tries again.
            LogReadFailed(logger, e.Message);
            return;
        }

        var events = DashboardChanges.Between(_published, state, sampled, json.Value.SerializerOptions);
        ring.Publish(state, events);
        _published = state;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "The dashboard's state could not be read this second: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string error);

    private sealed class Unwatch(DashboardFeed feed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref feed._watchers);
            }
        }
    }
}

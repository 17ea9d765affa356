using Bollard.Balancer.Metrics;

namespace Bollard.Balancer.Pipeline;

/// <summary>
/// Where a request answered by one replica (or by none) is recorded: its Prometheus series and its version's traffic
/// window, resolved once per destination config instead of by label lookups on every request.
/// </summary>
internal sealed class DestinationTraffic(RequestSeries series, string service, string windowVersion, TrafficWindows windows)
{
    private TrafficWindow _window = windows.For(service, windowVersion);

    public void Record(int statusCode, long finished, TimeSpan elapsed)
    {
        series.Record(statusCode, elapsed);
        var window = _window;
        if (window.Retired)
        {
            // Dropped while the version was idle: take the current one (a new window, or one another path created).
            window = _window = windows.For(service, windowVersion);
        }

        window.Record(finished, elapsed, error: statusCode >= 500);
    }
}

using System.Collections.Concurrent;

namespace Bollard.Balancer.Metrics;

/// <summary>
/// Every <see cref="TrafficWindow"/>, one per service and version, created on first use. Requests that reached
/// no replica are kept under the version <see cref="BalancerMetrics.None"/>: they count for the service as a
/// whole but are not a version. A version silent for twice the window is dropped when read, so versions that
/// rolled out long ago do not hold memory.
/// </summary>
internal sealed class TrafficWindows(TimeProvider time) : ITrafficWindow
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2 * TrafficWindow.Seconds);

    private readonly ConcurrentDictionary<(string Service, string Version), TrafficWindow> _windows = new();

    public TimeProvider Time => time;

    /// <summary>The window of one service version (hot path: one lookup, allocation only the first time).</summary>
    public TrafficWindow For(string service, string version) =>
        _windows.TryGetValue((service, version), out var window)
            ? window
            : _windows.GetOrAdd((service, version), static (_, frequency) => new TrafficWindow(frequency), time.TimestampFrequency);

    public TrafficStats Read(string service, string? version, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(service);
        var seconds = SecondsOf(window);
        var now = time.GetTimestamp();
        var sums = new TrafficSums();
        foreach (var (key, traffic) in _windows)
        {
            if (key.Service == service && (version is null || key.Version == version))
            {
                traffic.AddTo(ref sums, now, seconds);
            }
        }

        Prune(now);
        return sums.ToStats(seconds);
    }

    public double SlidingRequests(string service, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(service);
        var seconds = SecondsOf(span);
        var now = time.GetTimestamp();
        var sum = 0.0;
        foreach (var (key, traffic) in _windows)
        {
            if (key.Service == service)
            {
                sum += traffic.SlidingRequests(now, seconds);
            }
        }

        return sum;
    }

    public IReadOnlyList<string> VersionsOf(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var versions = new List<string>();
        foreach (var key in _windows.Keys)
        {
            if (key.Service == service && key.Version != BalancerMetrics.None)
            {
                versions.Add(key.Version);
            }
        }

        versions.Sort(StringComparer.Ordinal);
        return versions;
    }

    /// <summary>Whole seconds of a requested window: rounded up, at least 1, at most the window's length.</summary>
    internal static int SecondsOf(TimeSpan window) =>
        (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, TrafficWindow.Seconds);

    private void Prune(long now)
    {
        var idleBefore = (now / time.TimestampFrequency) - (long)Idle.TotalSeconds;
        foreach (var (key, traffic) in _windows)
        {
            if (traffic.InFlight == 0 && traffic.LastSecond >= 0 && traffic.LastSecond < idleBefore)
            {
                if (_windows.TryRemove(new KeyValuePair<(string, string), TrafficWindow>(key, traffic)))
                {
                    traffic.Retire();
                }
            }
        }
    }
}

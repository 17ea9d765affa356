using Bollard.Balancer.Metrics;

namespace Bollard.Dashboard;

/// <summary>
/// The last minute of each service's traffic, one point per second, read from the balancer's in-process window (a few
/// lock-free sums per service: nothing on the request path changes). Bounded: 60 points per desired service; a
/// service no longer desired is forgotten at the next sample.
/// </summary>
internal sealed class TrafficHistory(ITrafficWindow window)
{
    public const int Points = 60;
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, Queue<TrafficPoint>> _points = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Reads the last completed second of every service in <paramref name="services"/>; returns the new points.</summary>
    public IReadOnlyDictionary<string, TrafficPoint> Sample(IReadOnlyCollection<string> services, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(services);
        var at = (now.ToUnixTimeMilliseconds() / 1000 * 1000) - 1000;
        var sampled = new Dictionary<string, TrafficPoint>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var versions = window.VersionsOf(service)
                .Select(v => (Version: v, Stats: window.Read(service, v, OneSecond)))
                .Select(v => new VersionTrafficPoint(v.Version, v.Stats.RatePerSecond, v.Stats.P95.TotalMilliseconds, v.Stats.ErrorRate, v.Stats.InFlight))
                .ToList();
            var all = window.Read(service, null, OneSecond);
            sampled[service] = new TrafficPoint(at, all.RatePerSecond, all.P95.TotalMilliseconds, all.ErrorRate, all.InFlight, versions);
        }

        lock (_lock)
        {
            foreach (var gone in _points.Keys.Where(s => !sampled.ContainsKey(s)).ToList())
            {
                _points.Remove(gone);
            }

            foreach (var (service, point) in sampled)
            {
                var points = _points.TryGetValue(service, out var known) ? known : _points[service] = new Queue<TrafficPoint>(Points);
                if (points.Count > 0 && points.Last().At == point.At)
                {
                    continue;
                }

                points.Enqueue(point);
                while (points.Count > Points)
                {
                    points.Dequeue();
                }
            }
        }

        return sampled;
    }

    /// <summary>Every service's points, oldest first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TrafficPoint>> Read()
    {
        lock (_lock)
        {
            return _points.ToDictionary(p => p.Key, p => (IReadOnlyList<TrafficPoint>)[.. p.Value], StringComparer.Ordinal);
        }
    }
}

namespace Bollard.Balancer.Metrics;

/// <summary>
/// The balancer's in-process view of recent traffic per service and version, read by the autoscaler and the
/// rollout analysis without a Prometheus server. Windows are whole seconds ending at the last completed second
/// (the current second is still filling), at most <see cref="MaxWindow"/>.
/// </summary>
public interface ITrafficWindow
{
    /// <summary>The longest window that can be read.</summary>
    static TimeSpan MaxWindow { get; } = TimeSpan.FromSeconds(TrafficWindow.Seconds);

    /// <summary>
    /// Traffic of <paramref name="service"/> over the last <paramref name="window"/> (rounded up to whole seconds,
    /// clamped to 1-60 s). <paramref name="version"/> null: every version together, plus requests that reached no
    /// replica. An unknown service or version reads as all zeros.
    /// </summary>
    TrafficStats Read(string service, string? version, TimeSpan window);

    /// <summary>
    /// Requests of <paramref name="service"/> (every version) over the last <paramref name="span"/> ending now (whole
    /// seconds, 1-60 s), the second still filling included and the oldest second pro rata: a sliding count that sees a
    /// load step within a fraction of a second, where <see cref="Read"/> waits for whole seconds to complete.
    /// </summary>
    double SlidingRequests(string service, TimeSpan span);

    /// <summary>The versions of <paramref name="service"/> that served requests recently, ordered.</summary>
    IReadOnlyList<string> VersionsOf(string service);
}

using Bollard.Scaler.Rollouts;
using System.Collections.Immutable;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The traffic reports of the cluster's agents as this agent last read them, with when each last moved (on this
/// agent's clock: agents' clocks may disagree). Pure: times and readings are passed in.
/// </summary>
/// <param name="Entries">By KV key: the report and when its sequence last moved.</param>
/// <param name="Self">This agent: its own report is never counted (it reads its balancer directly).</param>
/// <param name="MaxAge">A report that has not moved for this long is old, and left out.</param>
public sealed record TrafficRoster(ImmutableDictionary<string, (TrafficReport Report, DateTimeOffset MovedAt)> Entries, string Self, TimeSpan MaxAge)
{
    public static TrafficRoster Empty(string self, TimeSpan maxAge) =>
        new(ImmutableDictionary.Create<string, (TrafficReport, DateTimeOffset)>(StringComparer.Ordinal), self, maxAge);

    /// <summary>The roster after reading <paramref name="published"/> (every report now in Consul, by key) at <paramref name="now"/>.</summary>
    public TrafficRoster Observe(IEnumerable<KeyValuePair<string, TrafficReport>> published, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(published);
        var next = ImmutableDictionary.CreateBuilder<string, (TrafficReport, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var (key, report) in published)
        {
            var moved = Entries.TryGetValue(key, out var known) && known.Report.Sequence == report.Sequence && known.Report.Agent == report.Agent
                ? known.MovedAt
                : now;
            next[key] = (report, moved);
        }

        return this with { Entries = next.ToImmutable() };
    }

    /// <summary>The other agents' current readings of <paramref name="service"/>.</summary>
    public IReadOnlyList<ServiceTraffic> Remote(string service, DateTimeOffset now) =>
        [.. Others(now).Select(e => e.Report.Services.GetValueOrDefault(service)).OfType<ServiceTraffic>()];

    /// <summary>
    /// The other agents' current readings of <paramref name="version"/> over the same whole seconds as
    /// <paramref name="window"/> (a balancer publishes each service's versions over its analysis interval; a reading
    /// over another window is left out rather than mixed in).
    /// </summary>
    public IReadOnlyList<TrafficStats> RemoteVersion(string service, string version, TimeSpan window, DateTimeOffset now) =>
        [.. Others(now)
            .Select(e => e.Report.Services.GetValueOrDefault(service))
            .Where(t => t?.Versions is not null && t.VersionWindow is { } covered && WholeSeconds(covered) == WholeSeconds(window))
            .Select(t => t!.Versions!.GetValueOrDefault(version))
            .OfType<TrafficStats>()];

    /// <summary>
    /// True when no other agent's balancer can still have a request in flight to <paramref name="instanceId"/>: every
    /// current report was read at or after <paramref name="since"/> (so it was published once the replica had left
    /// that balancer's routing) and does not list it. An agent without a current report has had nothing in flight
    /// for <see cref="MaxAge"/> (an agent with nothing to report stops publishing).
    /// </summary>
    public bool OthersDrained(string instanceId, DateTimeOffset since, DateTimeOffset now) =>
        Others(now).All(e => e.MovedAt >= since && !e.Report.Busy.Contains(instanceId, StringComparer.OrdinalIgnoreCase));

    /// <summary>The balancer's traffic windows are whole seconds, 1 to 60.</summary>
    private static int WholeSeconds(TimeSpan window) => (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, 60);

    private IEnumerable<(TrafficReport Report, DateTimeOffset MovedAt)> Others(DateTimeOffset now) =>
        Entries.Values.Where(e => now - e.MovedAt <= MaxAge && e.Report.Agent != Self);
}

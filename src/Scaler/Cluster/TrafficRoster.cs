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
    /// True when no other agent's balancer can still have a request in flight to <paramref name="instanceId"/>, which
    /// left the catalog a publication interval before <paramref name="since"/>. Every agent's last report counts, however
    /// old (one that stopped publishing, hung or crashed, holds the drain until its report moves or its session ends
    /// it, or until the drain timeout):
    /// <list type="bullet">
    /// <item>a report listing the replica as busy holds the drain;</item>
    /// <item>a report of an agent with traffic must have been read at or after <paramref name="since"/>, so that it was
    /// published once the replica had left that balancer's routing;</item>
    /// <item>an empty report is an idle agent's last one: it publishes again within an interval of its next request,
    /// which is why nothing is drained before <paramref name="since"/>.</item>
    /// </list>
    /// </summary>
    public bool OthersDrained(string instanceId, DateTimeOffset since, DateTimeOffset now) =>
        now >= since && Entries.Values.Where(e => e.Report.Agent != Self).All(e =>
            !e.Report.Busy.Contains(instanceId, StringComparer.OrdinalIgnoreCase)
            && (e.MovedAt >= since || (e.Report.Services.Count == 0 && e.Report.Busy.Count == 0)));

    /// <summary>The balancer's traffic windows are whole seconds, 1 to 60.</summary>
    private static int WholeSeconds(TimeSpan window) => (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, 60);

    private IEnumerable<(TrafficReport Report, DateTimeOffset MovedAt)> Others(DateTimeOffset now) =>
        Entries.Values.Where(e => now - e.MovedAt <= MaxAge && e.Report.Agent != Self);
}

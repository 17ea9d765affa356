using System.Collections.Immutable;
using System.Globalization;

namespace Bollard.Scaler.Cluster;

/// <summary>One host as the controller knows it: its last report, when that report last moved, and when it vanished.</summary>
/// <param name="Report">The last report read.</param>
/// <param name="MovedAt">When (on this agent's clock) a new <see cref="HostReport.Sequence"/> was last seen.</param>
/// <param name="GoneAt">When the report vanished from Consul (the agent's session ended); null while it is there.</param>
public sealed record RosterEntry(HostReport Report, DateTimeOffset MovedAt, DateTimeOffset? GoneAt);

/// <summary>
/// The hosts of the cluster as published in Consul, with what the controller must remember between readings: a host
/// whose report vanished or stopped moving is unreachable, not gone (its replicas may still serve), until it has been
/// away for <see cref="ClusterOptions.ForgetHostAfter"/>. Pure: times are passed in, and only this agent's clock is
/// compared with itself (hosts' clocks may disagree).
/// </summary>
public sealed record HostRoster(ImmutableSortedDictionary<string, RosterEntry> Entries)
{
    public static readonly HostRoster Empty = new(ImmutableSortedDictionary.Create<string, RosterEntry>(StringComparer.Ordinal));

    /// <summary>The roster after reading <paramref name="published"/> (every report now in Consul) at <paramref name="now"/>.</summary>
    public HostRoster Observe(IReadOnlyList<HostReport> published, DateTimeOffset now, TimeSpan forgetAfter)
    {
        ArgumentNullException.ThrowIfNull(published);
        var next = ImmutableSortedDictionary.CreateBuilder<string, RosterEntry>(StringComparer.Ordinal);
        foreach (var report in published)
        {
            var moved = Entries.TryGetValue(report.Host, out var known) && known.GoneAt is null
                && known.Report.Sequence == report.Sequence && known.Report.Agent == report.Agent
                ? known.MovedAt
                : now;
            next[report.Host] = new RosterEntry(report, moved, null);
        }

        foreach (var (host, entry) in Entries.Where(e => !next.ContainsKey(e.Key)))
        {
            var gone = entry.GoneAt ?? now;
            if (now - gone < forgetAfter)
            {
                next[host] = entry with { GoneAt = gone };
            }
        }

        return new HostRoster(next.ToImmutable());
    }

    /// <summary>Why the controller cannot rely on a host's report now; null when it can.</summary>
    public static string? Unreachable(RosterEntry entry, DateTimeOffset now, TimeSpan staleAfter)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var host = entry.Report.Host;
        if (entry.GoneAt is { } gone)
        {
            return $"host {host}: its agent's record left Consul {Seconds(now - gone)} s ago (the agent stopped, or its session expired)";
        }

        if (now - entry.MovedAt > staleAfter)
        {
            return $"host {host}: its agent ({entry.Report.Agent}) has not published for {Seconds(now - entry.MovedAt)} s";
        }

        return entry.Report.Unreachable is { } why ? $"host {host}: its agent cannot reach its engine: {why}" : null;
    }

    /// <summary>True when the hosts or their containers differ (not merely the sequence): worth a reconcile pass.</summary>
    public bool DiffersFrom(HostRoster other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Entries.Count != other.Entries.Count || Entries.Any(e =>
            !other.Entries.TryGetValue(e.Key, out var o) || (o.GoneAt is null) != (e.Value.GoneAt is null) || !o.Report.SameStateAs(e.Value.Report));
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
}

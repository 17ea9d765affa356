using System.Globalization;
using Bollard.Scaler.State;

namespace Bollard.Scaler.Decisions;

/// <summary>
/// The decision log in the state store (Consul KV for a cluster, the state directory on one host), in segments per
/// service under <c>decisions/&lt;service&gt;/</c> (see <see cref="DecisionRetention"/>), so that it outlives the
/// agent that decided, and a cluster's next controller shows its predecessor's decisions. Each agent writes through
/// one <see cref="DecisionWriter"/>; writes are check-and-set, so two controllers writing at once (the overlap of a
/// failover) never lose each other's decisions.
/// </summary>
internal sealed class DecisionStore(IStateStore store, TimeProvider time)
{
    private const int MaxAttempts = 3;

    // What this writer knows of each service's segments: read once, then kept in step with its own writes; dropped
    // (and read again) when another writer got in between.
    private readonly Dictionary<string, List<SegmentSummary>> _segments = new(StringComparer.Ordinal);

    /// <summary>Appends the decisions to their services' logs, then drops what retention no longer keeps.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be written (what was written stays written).</exception>
    /// <exception cref="StateConflictException">Other writers kept changing a log.</exception>
    public async Task AppendAsync(IReadOnlyList<Decision> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var service in batch.GroupBy(d => d.Service, StringComparer.Ordinal))
        {
            await AppendAsync(service.Key, [.. service.Select(DecisionRetention.Bound)], cancellationToken);
        }
    }

    /// <summary>The decisions the store keeps for <paramref name="service"/> (every service when null), oldest first.</summary>
    /// <exception cref="StateStoreUnavailableException">The store cannot be read.</exception>
    public async Task<IReadOnlyList<Decision>> ReadAsync(string? service, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(service is null ? StateKeys.DecisionsPrefix : StateKeys.Decisions(service), cancellationToken);
        var now = time.GetUtcNow();
        return [.. entries
            .GroupBy(e => ServiceOf(e.Key), StringComparer.Ordinal)
            .SelectMany(g => DecisionRetention.Keep(g.SelectMany(e => DecisionJson.Read(e.Value) ?? []), now))
            .OrderBy(d => d.At)];
    }

    /// <summary>Drops every service's segments that retention no longer keeps, also of services that stopped deciding.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(StateKeys.DecisionsPrefix, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var service in entries.GroupBy(e => ServiceOf(e.Key), StringComparer.Ordinal))
        {
            var expired = DecisionRetention.Expired([.. service.Select(Summarize).OfType<SegmentSummary>()], now, all: true);
            foreach (var segment in expired)
            {
                await store.DeleteAsync(StateKeys.DecisionSegment(service.Key, segment), cancellationToken);
            }

            if (expired.Count > 0)
            {
                _segments.Remove(service.Key);
            }
        }
    }

    private async Task AppendAsync(string service, IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        var remaining = decisions;
        for (var attempt = 1; ; attempt++)
        {
            var segments = _segments.GetValueOrDefault(service) ?? await SegmentsAsync(service, cancellationToken);
            remaining = await TryAppendAsync(service, segments, remaining, cancellationToken);
            if (remaining.Count == 0)
            {
                _segments[service] = segments;
                await PruneAsync(service, segments, cancellationToken);
                return;
            }

            _segments.Remove(service);
            if (attempt == MaxAttempts)
            {
                throw new StateConflictException($"the decision log of '{service}' kept changing in the state store while it was written ({MaxAttempts} attempts)");
            }
        }
    }

    /// <summary>Writes what it can; returns the decisions still to write (none when all went), after a lost check-and-set.</summary>
    private async Task<IReadOnlyList<Decision>> TryAppendAsync(string service, List<SegmentSummary> segments, IReadOnlyList<Decision> decisions, CancellationToken cancellationToken)
    {
        var last = segments.Count == 0 ? 0 : segments[^1].Segment;
        Decision[]? tail = null;
        ulong tailVersion = 0;
        if (segments.Count > 0)
        {
            if (await store.GetAsync(StateKeys.DecisionSegment(service, last), cancellationToken) is not { } entry)
            {
                return decisions; // dropped by another writer: read the segments again
            }

            // An unreadable last segment takes nothing more: the batch starts the next one.
            tail = DecisionJson.Read(entry.Value);
            tailVersion = entry.Version;
        }

        var plan = DecisionRetention.Append(tail, decisions);
        var written = 0;
        if (plan.Tail is { } filled)
        {
            if (!await store.TryPutAsync(StateKeys.DecisionSegment(service, last), DecisionJson.Write(filled), tailVersion, cancellationToken))
            {
                return decisions;
            }

            written = filled.Count - tail!.Length;
            segments[^1] = new SegmentSummary(last, filled.Count, filled.Max(d => d.At));
        }

        foreach (var fresh in plan.Fresh)
        {
            if (!await store.TryPutAsync(StateKeys.DecisionSegment(service, last + 1), DecisionJson.Write(fresh), 0, cancellationToken))
            {
                return [.. decisions.Skip(written)];
            }

            last++;
            written += fresh.Count;
            segments.Add(new SegmentSummary(last, fresh.Count, fresh.Max(d => d.At)));
        }

        return [];
    }

    private async Task PruneAsync(string service, List<SegmentSummary> segments, CancellationToken cancellationToken)
    {
        foreach (var segment in DecisionRetention.Expired(segments, time.GetUtcNow()))
        {
            await store.DeleteAsync(StateKeys.DecisionSegment(service, segment), cancellationToken);
            segments.RemoveAll(s => s.Segment == segment);
        }
    }

    private async Task<List<SegmentSummary>> SegmentsAsync(string service, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(StateKeys.Decisions(service), cancellationToken)).Select(Summarize).OfType<SegmentSummary>().OrderBy(s => s.Segment)];

    /// <summary>A segment's number, size and newest decision; null for a key that is not a segment's (a hand edit).</summary>
    private static SegmentSummary? Summarize(StateEntry entry)
    {
        if (!long.TryParse(entry.Key.AsSpan(entry.Key.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
        {
            return null;
        }

        return DecisionJson.Read(entry.Value) is { Length: > 0 } decisions
            ? new SegmentSummary(segment, decisions.Length, decisions.Max(d => d.At))
            : new SegmentSummary(segment, 0, DateTimeOffset.MinValue);
    }

    /// <summary>The service of a key <c>decisions/&lt;service&gt;/&lt;segment&gt;</c>.</summary>
    private static string ServiceOf(string key) => key.Split('/')[1];
}

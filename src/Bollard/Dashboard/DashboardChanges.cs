using System.Text.Json;
using Bollard.Scaler.Decisions;

namespace Bollard.Dashboard;

/// <summary>
/// What changed between two states, as events: an item is sent whole when its JSON differs (records holding lists
/// compare by reference, their JSON by value), a removed one by its key; new decisions one by one; the traffic of the
/// second just read in one event. Pure: the feed does the reading and the publishing.
/// </summary>
internal static class DashboardChanges
{
    public static List<(string Type, string Data)> Between(DashboardState? before, DashboardState after, IReadOnlyDictionary<string, TrafficPoint> traffic, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(after);
        var events = new List<(string Type, string Data)>();
        if (before is not null)
        {
            Keyed(events, "service", before.Services, after.Services, s => s.Name, name => new { name }, json);
            Keyed(events, "replica", before.Replicas, after.Replicas, r => r.Id, id => new { id }, json);
            Keyed(events, "host", before.Hosts, after.Hosts, h => h.Name, name => new { name }, json);
            var known = before.Decisions.ToHashSet();
            events.AddRange(after.Decisions.Where(d => !known.Contains(d)).Select(d => ("decision", JsonSerializer.Serialize(d, json))));
        }

        if (traffic.Count > 0)
        {
            events.Add(("traffic", JsonSerializer.Serialize(traffic, json)));
        }

        return events;
    }

    /// <summary>The most recent decisions, at most <paramref name="max"/>, oldest first.</summary>
    public static IReadOnlyList<Decision> Recent(IReadOnlyList<Decision> decisions, int max) =>
        decisions.Count <= max ? decisions : [.. decisions.Skip(decisions.Count - max)];

    private static void Keyed<T>(List<(string, string)> events, string type, IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> key, Func<string, object> removed, JsonSerializerOptions json)
    {
        var old = before.ToDictionary(key, i => JsonSerializer.Serialize(i, json), StringComparer.Ordinal);
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            var name = key(item);
            now.Add(name);
            var text = JsonSerializer.Serialize(item, json);
            if (!old.TryGetValue(name, out var was) || was != text)
            {
                events.Add((type, text));
            }
        }

        events.AddRange(old.Keys.Where(k => !now.Contains(k)).Order(StringComparer.Ordinal).Select(k => ($"{type}-removed", JsonSerializer.Serialize(removed(k), json))));
    }
}

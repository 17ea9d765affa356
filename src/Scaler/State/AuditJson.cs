using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bollard.Scaler.State;

/// <summary>How an audit entry is written: one compact JSON object (camelCase), the same in a file and in Consul.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

internal static class AuditJson
{
    public static byte[] Serialize(AuditEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.AuditEntry);

    /// <summary>The entry, or null for a line that is not one (a torn last line after a crash is skipped, not fatal).</summary>
    public static AuditEntry? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AuditJsonContext.Default.AuditEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IReadOnlyList<AuditEntry> Last(IEnumerable<AuditEntry> entries, string? service, int limit)
    {
        var kept = new Queue<AuditEntry>();
        foreach (var entry in entries.Where(e => service is null || e.Service == service))
        {
            kept.Enqueue(entry);
            if (kept.Count > limit)
            {
                kept.Dequeue();
            }
        }

        return [.. kept];
    }
}

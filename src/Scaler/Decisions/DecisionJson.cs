using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bollard.Scaler.Decisions;

/// <summary>A stored segment of the decision log: a JSON array of decisions, oldest first.</summary>
internal static class DecisionJson
{
    public static byte[] Write(IReadOnlyList<Decision> segment) =>
        JsonSerializer.SerializeToUtf8Bytes([.. segment], DecisionJsonContext.Default.DecisionArray);

    /// <summary>The decisions of a segment; null when it cannot be read (written by another version, or damaged).</summary>
    public static Decision[]? Read(ReadOnlyMemory<byte> value)
    {
        try
        {
            return JsonSerializer.Deserialize(value.Span, DecisionJsonContext.Default.DecisionArray);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Decision[]))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;

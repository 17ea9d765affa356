using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The wire form of host reports and commands in Consul KV: camelCase JSON, enums by name. Reading is forgiving:
/// an unreadable value (another agent's version, a hand edit) is null, never an exception in a loop.
/// </summary>
public static class ClusterJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Read<T>(ReadOnlyMemory<byte> value)
        where T : class
    {
        if (value.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(value.Span, Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

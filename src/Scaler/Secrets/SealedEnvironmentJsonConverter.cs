using System.Text.Json;
using System.Text.Json.Serialization;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// The form of a <see cref="ServiceEnvironment"/> in the state store: <c>{"values": {NAME: sealed}, "files": [...]}</c>.
/// Read back, the values are unsealed and digested again with the same key. A record written before values were sealed
/// (a plain <c>{NAME: value}</c> object) is still read, and sealed when it is next saved.
/// </summary>
public sealed class SealedEnvironmentJsonConverter(SecretKey key) : JsonConverter<ServiceEnvironment>
{
    public override ServiceEnvironment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("an environment must be a JSON object");
        }

        try
        {
            var env = root.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Object
                ? ServiceEnvironment.Of(Strings(values).Select(kv => KeyValuePair.Create(kv.Key, EnvSealing.Unseal(key, kv.Key, kv.Value))), Files(root))
                : ServiceEnvironment.Of(Strings(root));
            return EnvDigests.Digest(env, key);
        }
        catch (SecretKeyException e)
        {
            throw new JsonException($"cannot unseal a stored environment: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"a stored environment names a variable twice: {e.Message}", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, ServiceEnvironment value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteStartObject("values");
        foreach (var (name, text) in value.Values)
        {
            writer.WriteString(name, EnvSealing.Seal(key, name, text));
        }

        writer.WriteEndObject();
        writer.WriteStartArray("files");
        foreach (var file in value.Files)
        {
            writer.WriteStringValue(file);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static IEnumerable<KeyValuePair<string, string>> Strings(JsonElement element) =>
        element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new JsonException($"the stored value of {p.Name} is not a string")));

    private static IEnumerable<string> Files(JsonElement root) =>
        root.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array
            ? files.EnumerateArray().Select(f => f.GetString() ?? throw new JsonException("an env file must be a string"))
            : [];
}

using System.Text.Json.Nodes;

namespace Bollard.Scaler.Specs.Schema;

/// <summary>
/// The recorded shapes of the values of a list, or of a mapping with free keys (an env variable, a tmpfs entry): plain
/// values, a mapping of fields, or both.
/// </summary>
internal sealed class SchemaValue
{
    /// <summary>What a plain value of such a list or mapping may be in YAML (the parser reads its text).</summary>
    public static JsonObject PlainShape => new() { ["type"] = new JsonArray("string", "number", "boolean") };

    private readonly List<JsonObject> _scalars = [];
    private SchemaObject? _mapping;

    public void Scalar(JsonObject shape)
    {
        if (!_scalars.Any(s => JsonNode.DeepEquals(s, shape)))
        {
            _scalars.Add(shape);
        }
    }

    public SchemaObject Mapping() => _mapping ??= new SchemaObject();

    public JsonNode ToJson()
    {
        List<JsonNode> alternatives = [.. _scalars.Select(s => s.DeepClone())];
        if (_mapping is not null)
        {
            alternatives.Add(_mapping.ToJson());
        }

        return alternatives.Count switch
        {
            0 => new JsonObject(),
            1 => alternatives[0],
            _ => new JsonObject { ["anyOf"] = new JsonArray([.. alternatives]) },
        };
    }
}

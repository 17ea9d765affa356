using System.Text.Json.Nodes;

namespace Bollard.Scaler.Specs.Schema;

/// <summary>
/// The recorded fields of one YAML mapping: each with the shapes it was read as (over all passes), whether it is
/// required, and the mappings nested under it. Fields keep the order the parser reads them in, so the schema text is
/// stable from one run to the next.
/// </summary>
internal sealed class SchemaObject
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, List<JsonObject>> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaObject> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaValue> _freeMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchemaValue> _valueLists = new(StringComparer.Ordinal);
    private readonly HashSet<string> _required = new(StringComparer.Ordinal);

    /// <summary>A field read as a plain value of this shape.</summary>
    public void Scalar(string key, JsonObject shape, bool required)
    {
        Add(key, required);
        var shapes = _shapes[key];
        if (!shapes.Any(s => JsonNode.DeepEquals(s, shape)))
        {
            shapes.Add(shape);
        }
    }

    /// <summary>A field read as a mapping of fields: its own recorded object.</summary>
    public SchemaObject Object(string key, bool required)
    {
        Add(key, required);
        return Child(_objects, key);
    }

    /// <summary>A field read as a list of mappings: the recorded object of its items.</summary>
    public SchemaObject ListOf(string key)
    {
        Add(key, required: false);
        return Child(_lists, key);
    }

    /// <summary>A field read as a mapping with free keys: the recorded shapes of its values.</summary>
    public SchemaValue FreeMap(string key)
    {
        Add(key, required: false);
        return ValueOf(_freeMaps, key);
    }

    /// <summary>A field read as a list of values (plain or mappings): the recorded shapes of its items.</summary>
    public SchemaValue ValueList(string key)
    {
        Add(key, required: false);
        return ValueOf(_valueLists, key);
    }

    public JsonObject ToJson()
    {
        var properties = new JsonObject();
        foreach (var key in _order)
        {
            var alternatives = _shapes[key].Select(s => (JsonNode)s.DeepClone()).ToList();
            if (_objects.TryGetValue(key, out var nested))
            {
                alternatives.Add(nested.ToJson());
            }

            if (_lists.TryGetValue(key, out var items))
            {
                alternatives.Add(new JsonObject { ["type"] = "array", ["items"] = items.ToJson() });
            }

            if (_freeMaps.TryGetValue(key, out var values))
            {
                alternatives.Add(new JsonObject { ["type"] = "object", ["additionalProperties"] = values.ToJson() });
            }

            if (_valueLists.TryGetValue(key, out var listed))
            {
                alternatives.Add(new JsonObject { ["type"] = "array", ["items"] = listed.ToJson() });
            }

            properties[key] = alternatives.Count == 1 ? alternatives[0] : new JsonObject { ["anyOf"] = new JsonArray([.. alternatives]) };
        }

        var json = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (_required.Count > 0)
        {
            json["required"] = new JsonArray([.. _order.Where(_required.Contains).Select(k => (JsonNode)k)]);
        }

        // Unknown fields are errors for the parser (a typo must not fall back to a default): the same for editors.
        json["additionalProperties"] = false;
        return json;
    }

    private void Add(string key, bool required)
    {
        if (!_shapes.ContainsKey(key))
        {
            _order.Add(key);
            _shapes[key] = [];
        }

        if (required)
        {
            _required.Add(key);
        }
    }

    private static SchemaValue ValueOf(Dictionary<string, SchemaValue> values, string key)
    {
        if (!values.TryGetValue(key, out var value))
        {
            value = new SchemaValue();
            values[key] = value;
        }

        return value;
    }

    private static SchemaObject Child(Dictionary<string, SchemaObject> children, string key)
    {
        if (!children.TryGetValue(key, out var child))
        {
            child = new SchemaObject();
            children[key] = child;
        }

        return child;
    }
}

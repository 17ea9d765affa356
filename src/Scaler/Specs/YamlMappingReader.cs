using System.Globalization;
using System.Text.Json.Nodes;
using Bollard.Scaler.Specs.Schema;
using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Reads the fields of one YAML mapping with their positions, collecting every problem instead of stopping at
/// the first: an operator fixing a spec wants the whole list. Unknown fields are errors (a typo such as
/// <c>replica:</c> must not silently fall back to a default; one a single edit away from a known field is named).
/// In recording mode (<see cref="SchemaRecorder"/>) it reads no document: every field asked for is recorded with its
/// shape instead, which is how the JSON Schemas of the files come from the parsers themselves.
/// </summary>
public sealed class YamlMappingReader
{
    private const string DurationPattern = "^[0-9]+(ms|s|m|h)$";
    private readonly YamlMappingNode _node;
    private readonly List<SpecError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly SchemaRecorder? _recorder;
    private readonly SchemaObject? _schema;

    public YamlMappingReader(string file, string path, YamlMappingNode node, List<SpecError> errors)
    {
        File = file;
        Path = path;
        _node = node;
        _errors = errors;
    }

    private YamlMappingReader(SchemaRecorder recorder, SchemaObject schema, string path)
        : this("", path, new YamlMappingNode(), [])
    {
        _recorder = recorder;
        _schema = schema;
    }

    public string File { get; }

    /// <summary>A reader of no document that records the fields asked of it into <paramref name="schema"/>.</summary>
    internal static YamlMappingReader Recording(SchemaRecorder recorder, SchemaObject schema, string path = "") => new(recorder, schema, path);

    /// <summary>The dotted path of this mapping ("" for a document root).</summary>
    public string Path { get; }

    public string? Text(string key, bool required = false) =>
        Scalar(key, required, new JsonObject { ["type"] = "string" }) is { } scalar ? scalar.Value : null;

    /// <summary>A number as written, for a field whose own rules need its text (a percent with at most one decimal).</summary>
    public string? NumberText(string key) =>
        Scalar(key, required: false, new JsonObject { ["type"] = "number" }) is { } scalar ? scalar.Value : null;

    /// <summary>
    /// A field that takes one of <paramref name="allowed"/>, as written: the caller says what is wrong with another
    /// value (with what each allowed one means). Recorded as an enumeration.
    /// </summary>
    public string? Choice(string key, IReadOnlyList<string> allowed, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var text = Scalar(key, required, new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]) })?.Value;
        return _recorder is null ? text : _recorder.Choose(allowed);
    }

    public int? WholeNumber(string key, int min, int max, bool required = false)
    {
        if (Scalar(key, required, new JsonObject { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max }) is not { } scalar)
        {
            return null;
        }

        if (int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(scalar, key, $"must be a whole number from {min} to {max}, got '{scalar.Value}'");
        return null;
    }

    public double? Number(string key, double min, double max)
    {
        if (Scalar(key, required: false, new JsonObject { ["type"] = "number", ["minimum"] = min, ["maximum"] = max }) is not { } scalar)
        {
            return null;
        }

        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(scalar, key, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{scalar.Value}'");
        return null;
    }

    /// <summary>A yes/no field: <c>true</c> or <c>false</c> (YAML 1.2's spelling; "yes", "on" and the like are refused).</summary>
    public bool? Flag(string key)
    {
        if (Scalar(key, required: false, new JsonObject { ["type"] = "boolean" }) is not { } scalar)
        {
            return null;
        }

        switch (scalar.Value)
        {
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(scalar, key, $"must be true or false, got '{scalar.Value}'");
                return null;
        }
    }

    /// <summary>A duration such as <c>500ms</c>, <c>2s</c>, <c>1m</c> or <c>1h</c>, within [min, max].</summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        var shape = new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = DurationPattern,
            ["description"] = $"a duration from {Durations.Format(min)} to {Durations.Format(max)} (e.g. 500ms, 2s, 1m, 1h)",
        };
        if (Scalar(key, required: false, shape) is not { } scalar)
        {
            return null;
        }

        if (Durations.TryParse(scalar.Value, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(scalar, key, $"must be a duration from {Durations.Format(min)} to {Durations.Format(max)} (e.g. 500ms, 2s, 1m), got '{scalar.Value}'");
        return null;
    }

    public YamlMappingReader? Mapping(string key, bool required = false)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            return new YamlMappingReader(_recorder!, _schema.Object(key, required), Join(key));
        }

        var node = Node(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new YamlMappingReader(File, Join(key), mapping, _errors);
        }

        Error(node, key, "must be a mapping of fields (key: value lines, indented under it)");
        return null;
    }

    /// <summary>True when the field is present and is a mapping (for fields that take a value or a mapping).</summary>
    public bool HasMapping(string key) =>
        _recorder?.WantsMapping ?? (_node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode);

    /// <summary>True when the field is present, whatever its value (nothing is recorded for a schema).</summary>
    public bool Has(string key)
    {
        _known.Add(key);
        return _node.Children.ContainsKey(new YamlScalarNode(key));
    }

    /// <summary>A list of mappings (e.g. <c>metrics:</c> entries), each read with its own position and path.</summary>
    public IReadOnlyList<YamlMappingReader>? MappingList(string key)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            return [new YamlMappingReader(_recorder!, _schema.ListOf(key), $"{Join(key)}[0]")];
        }

        var node = Node(key, required: false);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, key, "must be a list (lines starting with '- ')");
            return null;
        }

        var items = new List<YamlMappingReader>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode item)
            {
                items.Add(new YamlMappingReader(File, $"{Join(key)}[{i}]", item, _errors));
            }
            else
            {
                Error(sequence.Children[i], $"{key}[{i}]", "must be a mapping of fields");
            }
        }

        return items;
    }

    /// <summary>
    /// The fields of a mapping whose keys are free (e.g. environment variables), each value with its position: a
    /// value may be plain or a mapping. Null when the field is absent.
    /// </summary>
    public IReadOnlyList<(string Name, YamlValue Value)>? Fields(string key)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            return [("NAME", YamlValue.Recording(_recorder!, _schema.FreeMap(key), $"{Join(key)}.NAME"))];
        }

        if (Mapping(key) is not { } reader)
        {
            return null;
        }

        var fields = new List<(string, YamlValue)>();
        foreach (var (k, v) in reader._node.Children)
        {
            if (k is not YamlScalarNode { Value: { } name })
            {
                Error(k, key, "field names must be plain values");
                continue;
            }

            reader._known.Add(name);
            fields.Add((name, new YamlValue(File, $"{Join(key)}.{name}", v, _errors)));
        }

        return fields;
    }

    /// <summary>The entries of a list, each a plain value or a mapping with its position. Null when the field is absent.</summary>
    public IReadOnlyList<YamlValue>? Items(string key)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            return [YamlValue.Recording(_recorder!, _schema.ValueList(key), $"{Join(key)}[0]")];
        }

        var node = Node(key, required: false);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, key, "must be a list (lines starting with '- ', or [a, b])");
            return null;
        }

        return [.. sequence.Children.Select((item, i) => new YamlValue(File, $"{Join(key)}[{i}]", item, _errors))];
    }

    /// <summary>A mapping of string to string (e.g. environment variables).</summary>
    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            _schema.Scalar(key, new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean") } }, required: false);
            return null;
        }

        if (Mapping(key) is not { } reader)
        {
            return null;
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in reader._node.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            reader._known.Add(name);
            if (v is YamlScalarNode scalar)
            {
                result[name] = scalar.Value ?? "";
            }
            else
            {
                Error(v, $"{key}.{name}", "must be a plain value (quote it if it contains ': ')");
            }
        }

        return result;
    }

    /// <summary>Records an error for a field of this mapping, at the field's value.</summary>
    public void Error(string key, string message)
    {
        var node = Node(key, required: false);
        if (node is null)
        {
            _errors.Add(new SpecError(File, _node.Start.Line, _node.Start.Column, Join(key), message));
        }
        else
        {
            Error(node, key, message);
        }
    }

    /// <summary>Reports every field that no accessor asked for, with the list of allowed fields.</summary>
    public void RejectUnknownFields()
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!_known.Contains(name))
            {
                var allowed = string.Join(", ", _known.Order(StringComparer.Ordinal));
                var meant = Spelling.Closest(name, _known.Order(StringComparer.Ordinal)) is { } close ? $"; did you mean '{close}'?" : "";
                _errors.Add(new SpecError(File, key.Start.Line, key.Start.Column, Join(name), $"unknown field{meant} (allowed here: {allowed})"));
            }
        }
    }

    private YamlScalarNode? Scalar(string key, bool required, JsonObject shape)
    {
        if (_schema is not null)
        {
            _known.Add(key);
            _schema.Scalar(key, shape, required);
            return null;
        }

        var node = Node(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } } scalar)
        {
            return scalar;
        }

        Error(node, key, node is YamlScalarNode ? "must not be empty" : "must be a plain value, not a list or mapping");
        return null;
    }

    private YamlNode? Node(string key, bool required)
    {
        _known.Add(key);
        if (_node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }

        if (required)
        {
            _errors.Add(new SpecError(File, _node.Start.Line, _node.Start.Column, Join(key), "is required"));
        }

        return null;
    }

    private void Error(YamlNode node, string key, string message) =>
        _errors.Add(new SpecError(File, node.Start.Line, node.Start.Column, Join(key), message));

    private string Join(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Reads the fields of one YAML mapping with their positions, collecting every problem instead of stopping at
/// the first: an operator fixing a spec wants the whole list. Unknown fields are errors (a typo such as
/// <c>replica:</c> must not silently fall back to a default).
/// </summary>
public sealed class YamlMappingReader
{
    private readonly YamlMappingNode _node;
    private readonly List<SpecError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMappingReader(string file, string path, YamlMappingNode node, List<SpecError> errors)
    {
        File = file;
        Path = path;
        _node = node;
        _errors = errors;
    }

    public string File { get; }

    /// <summary>The dotted path of this mapping ("" for a document root).</summary>
    public string Path { get; }

    public string? Text(string key, bool required = false) =>
        Scalar(key, required) is { } scalar ? scalar.Value : null;

    public int? WholeNumber(string key, int min, int max, bool required = false)
    {
        if (Scalar(key, required) is not { } scalar)
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
        if (Scalar(key, required: false) is not { } scalar)
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
        if (Scalar(key, required: false) is not { } scalar)
        {
            return null;
        }

        switch (scalar.Value)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                Error(scalar, key, $"must be true or false, got '{scalar.Value}'");
                return null;
        }
    }

    /// <summary>A duration such as <c>500ms</c>, <c>2s</c>, <c>1m</c> or <c>1h</c>, within [min, max].</summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        if (Scalar(key, required: false) is not { } scalar)
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
    public bool HasMapping(string key) => _node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode;

    /// <summary>A list of mappings (e.g. <c>metrics:</c> entries), each read with its own position and path.</summary>
    public IReadOnlyList<YamlMappingReader>? MappingList(string key)
    {
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
                _errors.Add(new SpecError(File, key.Start.Line, key.Start.Column, Join(name), $"unknown field (allowed here: {allowed})"));
            }
        }
    }

    private YamlScalarNode? Scalar(string key, bool required)
    {
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

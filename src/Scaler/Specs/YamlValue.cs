using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>
/// One value of a list or of a mapping with free keys (an env variable, a tmpfs entry), with its position and dotted
/// path, for fields that take either a plain value or a mapping.
/// </summary>
public sealed class YamlValue
{
    private readonly YamlNode _node;
    private readonly List<SpecError> _errors;

    private readonly Schema.SchemaRecorder? _recorder;
    private readonly Schema.SchemaValue? _schema;

    internal YamlValue(string file, string path, YamlNode node, List<SpecError> errors)
    {
        File = file;
        Path = path;
        _node = node;
        _errors = errors;
    }

    private YamlValue(Schema.SchemaRecorder recorder, Schema.SchemaValue schema, string path)
        : this("", path, new YamlScalarNode(""), [])
    {
        _recorder = recorder;
        _schema = schema;
    }

    /// <summary>A value of no document that records how it is read (see <see cref="Schema.SchemaRecorder"/>).</summary>
    internal static YamlValue Recording(Schema.SchemaRecorder recorder, Schema.SchemaValue schema, string path) => new(recorder, schema, path);

    public string File { get; }

    /// <summary>The dotted path, e.g. <c>env.DB_PASSWORD</c> or <c>security.tmpfs[0]</c>.</summary>
    public string Path { get; }

    /// <summary>The plain value (empty for <c>KEY:</c> or <c>""</c>); null when it is a list or a mapping.</summary>
    public string? Text => _schema is not null ? RecordText() : _node is YamlScalarNode scalar ? scalar.Value ?? "" : null;

    /// <summary>The value as a mapping of fields; null when it is not one.</summary>
    public YamlMappingReader? Mapping => _schema is not null
        ? (_recorder!.ValueWantsMapping ? YamlMappingReader.Recording(_recorder, _schema.Mapping(), Path) : null)
        : _node is YamlMappingNode mapping ? new YamlMappingReader(File, Path, mapping, _errors) : null;

    private string? RecordText()
    {
        if (_recorder!.ValueWantsMapping)
        {
            return null;
        }

        _schema!.Scalar(Schema.SchemaValue.PlainShape);
        return "";
    }

    /// <summary>Records an error at this value.</summary>
    public void Error(string message) => _errors.Add(new SpecError(File, _node.Start.Line, _node.Start.Column, Path, message));
}

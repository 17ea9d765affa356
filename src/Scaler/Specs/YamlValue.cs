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

    internal YamlValue(string file, string path, YamlNode node, List<SpecError> errors)
    {
        File = file;
        Path = path;
        _node = node;
        _errors = errors;
    }

    public string File { get; }

    /// <summary>The dotted path, e.g. <c>env.DB_PASSWORD</c> or <c>security.tmpfs[0]</c>.</summary>
    public string Path { get; }

    /// <summary>The plain value (empty for <c>KEY:</c> or <c>""</c>); null when it is a list or a mapping.</summary>
    public string? Text => _node is YamlScalarNode scalar ? scalar.Value ?? "" : null;

    /// <summary>The value as a mapping of fields; null when it is not one.</summary>
    public YamlMappingReader? Mapping => _node is YamlMappingNode mapping ? new YamlMappingReader(File, Path, mapping, _errors) : null;

    /// <summary>Records an error at this value.</summary>
    public void Error(string message) => _errors.Add(new SpecError(File, _node.Start.Line, _node.Start.Column, Path, message));
}

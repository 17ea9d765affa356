using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bollard.Scaler.Specs.Schema;

/// <summary>
/// Writes a JSON Schema of a YAML file from its parser: the parser runs over no document at all with
/// <see cref="YamlMappingReader"/>s in recording mode, and every field it asks for is recorded with its shape (a whole
/// number from 1 to 65535, a duration, a mapping of fields...). The schema is therefore the parser's own rules, and a
/// field added to the parser is in the schema without anyone listing it.
/// </summary>
/// <remarks>
/// A parser branches on what it reads: a field that is a number or a mapping (<c>replicas: 3</c> or <c>replicas: {min,
/// max}</c>), a field whose choice decides which others are read (<c>type: p95</c> takes a duration as its target).
/// So the parser runs several times: every other pass answers <see cref="YamlMappingReader.HasMapping"/> with yes, every
/// other pair of passes gives the items of lists and free-key mappings as mappings, and each choice field answers each of
/// its values in turn. The shapes a field gets over all passes are its alternatives.
/// </remarks>
public sealed class SchemaRecorder
{
    private int _choices = 1;

    private SchemaRecorder()
    {
    }

    internal int Pass { get; private set; }

    /// <summary>Whether this pass takes the mapping branch of a field that may be a value or a mapping.</summary>
    internal bool WantsMapping => Pass % 2 == 1;

    /// <summary>Whether this pass takes the mapping branch of an item of a list or of a free-key mapping. Independent of
    /// <see cref="WantsMapping"/>: a field that is a mapping or a list of mappings needs the pass where it is a list of
    /// mappings too.</summary>
    internal bool ValueWantsMapping => Pass / 2 % 2 == 1;

    /// <param name="title">The schema's title.</param>
    /// <param name="parse">Runs the parser on the given (recording) reader of the document root.</param>
    public static JsonObject Record(string title, Action<YamlMappingReader> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var recorder = new SchemaRecorder();
        var root = new SchemaObject();
        for (recorder.Pass = 0; recorder.Pass < Math.Max(4, 2 * recorder._choices); recorder.Pass++)
        {
            parse(YamlMappingReader.Recording(recorder, root));
        }

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = title,
        };
        foreach (var (key, value) in root.ToJson())
        {
            schema[key] = value?.DeepClone();
        }

        return schema;
    }

    /// <summary>The JSON text of a schema, indented, with a final newline (as committed in docs/).</summary>
    public static string Text(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>The value a choice field answers in this pass, so that every value's branch is visited.</summary>
    internal string Choose(IReadOnlyList<string> allowed)
    {
        _choices = Math.Max(_choices, allowed.Count);
        return allowed[Pass / 2 % allowed.Count];
    }
}

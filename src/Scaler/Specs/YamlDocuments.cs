using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Parses YAML text into documents, turning every parser failure into a located <see cref="SpecError"/>. A text that
/// nests too deep or whose aliases expand too far is refused before it is loaded (<see cref="YamlBounds"/>).
/// </summary>
public static class YamlDocuments
{
    /// <summary>The documents of <paramref name="text"/>, or null (with the error added) when it is not valid YAML.</summary>
    public static IReadOnlyList<YamlDocument>? Load(string file, string text, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var yaml = new YamlStream();
        try
        {
            if (YamlBounds.Check(file, text) is { } refused)
            {
                errors.Add(refused);
                return null;
            }

            yaml.Load(new StringReader(text));
            return [.. yaml.Documents];
        }
        catch (YamlException e)
        {
            errors.Add(new SpecError(file, e.Start.Line, e.Start.Column, "", $"malformed YAML: {e.InnerException?.Message ?? e.Message}"));
        }
        catch (InvalidOperationException)
        {
            // The scanner gives up without a position on some unterminated constructs.
            errors.Add(new SpecError(file, 0, 0, "", "malformed YAML: an unclosed bracket, brace or quote"));
        }

        return null;
    }
}

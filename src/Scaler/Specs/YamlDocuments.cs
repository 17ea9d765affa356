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
        catch (YamlException e) when (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && TabIndentedLine(text, e.Start.Line) is { } tab)
        {
            // The scanner reports a tab at the line before it, or at the start of the mapping it breaks.
            errors.Add(new SpecError(file, tab.Line, tab.Column, "", "malformed YAML: a tab in the indentation (YAML indents with spaces only)"));
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

    /// <summary>The first line at or after <paramref name="fromLine"/> whose indentation holds a tab, and the tab's column.</summary>
    private static (int Line, int Column)? TabIndentedLine(string text, long fromLine)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }
}

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Bounds what a YAML text may cost before it is loaded into nodes: nesting at most <see cref="MaxDepth"/> levels
/// (the node tree is built recursively: a text of a million '[' would overflow the stack), and aliases expanding to at
/// most <see cref="MaxAliasNodes"/> nodes in all (the "billion laughs": a few lines of anchors referring to anchors,
/// which anything walking the tree, or writing it out again, expands exponentially). Specs need neither.
/// </summary>
public static class YamlBounds
{
    public const int MaxDepth = 64;
    public const long MaxAliasNodes = 10_000;

    /// <summary>The first bound the text breaks, located; null when it keeps to both.</summary>
    /// <exception cref="YamlException">The text is not valid YAML (the caller reports it as such).</exception>
    public static SpecError? Check(string file, string text)
    {
        var parser = new Parser(new StringReader(text));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Nodes)>();
        long aliased = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case DocumentStart:
                    sizes.Clear(); // anchors belong to their document
                    break;
                case AnchorAlias alias:
                    var size = sizes.GetValueOrDefault(alias.Value.Value, 1);
                    aliased = Math.Min(aliased + size, MaxAliasNodes + 1);
                    if (aliased > MaxAliasNodes)
                    {
                        return Error(file, alias, $"its aliases expand to more than {MaxAliasNodes} nodes (a \"billion laughs\" document?); write the values out instead of nesting anchors");
                    }

                    Count(open, size);
                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        sizes[scalar.Anchor.Value] = 1;
                    }

                    Count(open, 1);
                    break;
                case NodeEvent start when start is SequenceStart or MappingStart:
                    if (open.Count >= MaxDepth)
                    {
                        return Error(file, start, $"it is nested deeper than {MaxDepth} levels");
                    }

                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, 1));
                    break;
                case SequenceEnd or MappingEnd:
                    var (anchor, nodes) = open.Pop();
                    if (anchor is not null)
                    {
                        sizes[anchor] = nodes;
                    }

                    Count(open, nodes);
                    break;
            }
        }

        return null;
    }

    /// <summary>Adds to the enclosing collection's size, saturating (sizes only need to reach the bound).</summary>
    private static void Count(Stack<(string? Anchor, long Nodes)> open, long nodes)
    {
        if (open.TryPop(out var parent))
        {
            open.Push((parent.Anchor, Math.Min(parent.Nodes + nodes, MaxAliasNodes + 1)));
        }
    }

    private static SpecError Error(string file, ParsingEvent at, string why) =>
        new(file, at.Start.Line, at.Start.Column, "", $"refused: {why}");
}

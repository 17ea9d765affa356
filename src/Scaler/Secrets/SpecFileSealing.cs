using Bollard.Scaler.Admin;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Secrets;

/// <summary>
/// Seals the environment values of applied spec files before the state store keeps them, and unseals them when they
/// are read back: what the store holds is the operator's files with every <c>env</c> value (plain, or a
/// <c>{secret: ...}</c>) replaced by its sealed form. Only validated files are sealed, so every document is a service
/// spec; the files are written out again by YamlDotNet (comments and layout are not kept).
/// </summary>
internal static class SpecFileSealing
{
    public static IReadOnlyList<SpecFile> Seal(IReadOnlyList<SpecFile> files, SecretKey key) =>
        [.. files.Select(f => Transform(f, (name, value) => EnvSealing.Seal(key, name, value)))];

    /// <summary>
    /// The files with their values unsealed. A value that is not sealed (files kept before values were sealed) is
    /// taken as it is.
    /// </summary>
    /// <exception cref="SecretKeyException">A value was sealed with another key.</exception>
    public static IReadOnlyList<SpecFile> Unseal(IReadOnlyList<SpecFile> files, SecretKey key) =>
        [.. files.Select(f => Transform(f, (name, value) => EnvSealing.IsSealed(value) ? EnvSealing.Unseal(key, name, value) : value))];

    private static SpecFile Transform(SpecFile file, Func<string, string, string> change)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(file.Text));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // Malformed: left as it is, for the spec parser to report with its file, line and column.
            return file;
        }

        var changed = false;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root
                || !root.Children.TryGetValue(new YamlScalarNode("env"), out var env)
                || env is not YamlMappingNode variables)
            {
                continue;
            }

            foreach (var (name, value) in variables.Children.ToList())
            {
                if (name is not YamlScalarNode { Value: { } key })
                {
                    continue;
                }

                // NAME: value, or NAME: {secret: value}.
                var (holder, field) = value is YamlMappingNode mapping ? (mapping, (YamlNode)new YamlScalarNode("secret")) : (variables, name);
                if (holder.Children.TryGetValue(field, out var node) && node is YamlScalarNode scalar)
                {
                    holder.Children[field] = new YamlScalarNode(change(key, scalar.Value ?? "")) { Style = ScalarStyle.DoubleQuoted };
                    changed = true;
                }
            }
        }

        if (!changed)
        {
            return file;
        }

        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return file with { Text = text.ToString() };
    }
}

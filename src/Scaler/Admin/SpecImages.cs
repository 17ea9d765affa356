using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Edits the applied spec files for a rollout: the one document that declares the service gets the new image (or is
/// replaced by the given spec); every other document and file stays as it was.
/// </summary>
internal static class SpecImages
{
    public static List<SpecFile> WithImage(IReadOnlyList<SpecFile> files, string service, string image) =>
        Edit(files, service, document => ((YamlMappingNode)document.RootNode).Children[new YamlScalarNode("image")] = new YamlScalarNode(image));

    public static List<SpecFile> ReplaceService(IReadOnlyList<SpecFile> files, string service, SpecFile spec)
    {
        var edited = Edit(files.Where(f => f.Name != spec.Name).ToList(), service, _ => { }, remove: true);
        edited.Add(spec);
        return edited;
    }

    /// <summary>
    /// The documents of <paramref name="services"/> out of the applied files: a file they fill alone is kept as it was
    /// sent, a file shared with other services is cut down to theirs.
    /// </summary>
    /// <exception cref="ControlPlaneException">A service is in no file (409).</exception>
    public static List<SpecFile> Only(IReadOnlyList<SpecFile> files, IReadOnlySet<string> services)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SpecFile>();
        foreach (var file in files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(file.Text));
            var documents = stream.Documents.Select(d => (Document: d, Name: NameOf(d))).ToList();
            var keep = documents.Where(d => d.Name is not null && services.Contains(d.Name)).ToList();
            found.UnionWith(keep.Select(d => d.Name!));
            if (keep.Count == documents.Count)
            {
                result.Add(file);
            }
            else if (keep.Count > 0)
            {
                var text = new StringWriter();
                new YamlStream(keep.Select(d => d.Document)).Save(text, assignAnchors: false);
                result.Add(file with { Text = text.ToString() });
            }
        }

        if (services.Except(found).FirstOrDefault() is { } missing)
        {
            throw new ControlPlaneException(ControlPlaneError.Conflict, $"service '{missing}' is desired but no applied spec file declares it; apply it again, or apply with --prune to remove it");
        }

        return result;
    }

    private static string? NameOf(YamlDocument document) =>
        document.RootNode is YamlMappingNode root && root.Children.TryGetValue(new YamlScalarNode("name"), out var name) ? (name as YamlScalarNode)?.Value : null;

    private static List<SpecFile> Edit(IReadOnlyList<SpecFile> files, string service, Action<YamlDocument> change, bool remove = false)
    {
        var found = false;
        var result = new List<SpecFile>();
        foreach (var file in files)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(file.Text));
            var keep = new List<YamlDocument>();
            foreach (var document in stream.Documents)
            {
                if (document.RootNode is YamlMappingNode root
                    && root.Children.TryGetValue(new YamlScalarNode("name"), out var name)
                    && (name as YamlScalarNode)?.Value == service)
                {
                    found = true;
                    if (remove)
                    {
                        continue;
                    }

                    change(document);
                }

                keep.Add(document);
            }

            if (keep.Count > 0)
            {
                var text = new StringWriter();
                new YamlStream(keep).Save(text, assignAnchors: false);
                result.Add(file with { Text = text.ToString() });
            }
        }

        if (!found)
        {
            throw new ControlPlaneException(ControlPlaneError.NotFound, $"no applied spec file declares service '{service}'");
        }

        return result;
    }
}

using YamlDotNet.RepresentationModel;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Loads service specs from YAML files: a file (one or more documents separated by <c>---</c>) or a directory of
/// <c>*.yaml</c>/<c>*.yml</c> files. All problems of all files are reported together; nothing is returned unless
/// every spec is valid, so a typo can never make the daemon act on half a configuration.
/// </summary>
public static class SpecLoader
{
    /// <summary>The most problems listed for one load.</summary>
    public const int MaxErrors = 100;

    /// <exception cref="SpecValidationException">Any file is unreadable, malformed or invalid.</exception>
    public static IReadOnlyList<ServiceSpec> LoadPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return LoadPaths([path], requireFiles: false);
    }

    /// <summary>Loads the specs of several files or directories together: a service declared in two of them is an error.</summary>
    /// <param name="paths">Files, or directories of <c>*.yaml</c>/<c>*.yml</c> files.</param>
    /// <param name="requireFiles">Whether a directory without spec files is an error (for the CLI: a wrong path, most likely).</param>
    /// <exception cref="SpecValidationException">Any path is missing, unreadable, malformed or invalid.</exception>
    public static IReadOnlyList<ServiceSpec> LoadPaths(IReadOnlyList<string> paths, bool requireFiles)
    {
        var errors = new List<SpecError>();
        var texts = ReadPaths(paths, errors, requireFiles);
        return LoadTexts(texts, errors);
    }

    /// <summary>
    /// The texts of the spec files at <paramref name="paths"/>, in a stable order. A path that is missing, unreadable
    /// (permissions, a link to nothing) or, with <paramref name="requireFiles"/>, a directory without spec files adds a
    /// located error instead of throwing. A file reached twice is read once.
    /// </summary>
    public static IReadOnlyList<(string File, string Text)> ReadPaths(IReadOnlyList<string> paths, List<SpecError> errors, bool requireFiles)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var texts = new List<(string File, string Text)>();
        // A file named twice (twice the same argument, or a file and its directory) is read once, not taken for a
        // second declaration of its services.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var file in FilesOf(path, errors, requireFiles).Where(f => seen.Add(Path.GetFullPath(f))))
            {
                try
                {
                    texts.Add((file, File.ReadAllText(file)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add(new SpecError(file, 0, 0, "", Unreadable(file, e)));
                }
            }
        }

        return texts;
    }

    /// <summary>Parses already-read texts; <paramref name="sources"/> pairs a file name (for messages) with its text.</summary>
    /// <param name="sources">The texts.</param>
    /// <param name="earlier">Problems found before parsing (files that could not be read), reported with the others.</param>
    /// <exception cref="SpecValidationException">Any text is malformed or invalid, or <paramref name="earlier"/> is not empty.</exception>
    public static IReadOnlyList<ServiceSpec> LoadTexts(IEnumerable<(string File, string Text)> sources, IReadOnlyList<SpecError>? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<SpecError>(earlier ?? []);
        var parsed = new List<ParsedSpec>();
        foreach (var (file, text) in sources)
        {
            parsed.AddRange(ParseFile(file, text, errors));
        }

        CheckAcrossSpecs(parsed, errors);
        var specs = parsed.ConvertAll(p => p.Spec);
        if (errors.Count > MaxErrors)
        {
            // A text of a hundred thousand empty documents is a hundred thousand errors: the first ones say enough.
            var shown = errors.Take(MaxErrors).ToList();
            shown.Add(new SpecError(errors[MaxErrors].File, 0, 0, "", $"and {errors.Count - MaxErrors} more problem(s) not listed"));
            errors = shown;
        }

        if (errors.Count > 0)
        {
            throw new SpecValidationException(errors);
        }

        return specs;
    }

    private static string[] FilesOf(string path, List<SpecError> errors, bool requireFiles)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            errors.Add(new SpecError(path, 0, 0, "", new FileInfo(path).LinkTarget is { } target ? $"a link to {target}, which does not exist" : "no such file or directory"));
            return [];
        }

        try
        {
            // Links are listed too: a dangling one is reported when it is read.
            string[] files = [.. Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)];
            if (files.Length == 0 && requireFiles)
            {
                errors.Add(new SpecError(path, 0, 0, "", "the directory holds no *.yaml or *.yml file"));
            }

            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new SpecError(path, 0, 0, "", Unreadable(path, e)));
            return [];
        }
    }

    private static string Unreadable(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException when new FileInfo(path).LinkTarget is { } target => $"cannot be read: a link to {target}, which does not exist",
        UnauthorizedAccessException => "cannot be read: permission denied",
        _ => $"cannot be read: {e.Message}",
    };

    private static List<ParsedSpec> ParseFile(string file, string text, List<SpecError> errors)
    {
        var documents = YamlDocuments.Load(file, text, errors);
        if (documents is null)
        {
            return [];
        }

        var specs = new List<ParsedSpec>();
        foreach (var document in documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                var at = document.RootNode.Start;
                errors.Add(new SpecError(file, at.Line, at.Column, "", "a service spec must be a mapping with at least name, image and port"));
                continue;
            }

            if (ServiceSpecParser.Parse(file, root, errors) is { } spec)
            {
                specs.Add(new ParsedSpec(spec, PlaceOf(file, root, "name"), PlaceOf(file, root, "route")));
            }
        }

        if (documents.Count == 0)
        {
            errors.Add(new SpecError(file, 0, 0, "", "the file holds no service spec"));
        }

        return specs;
    }

    /// <summary>A parsed spec with where its name and route are written, to locate the problems between specs.</summary>
    private sealed record ParsedSpec(ServiceSpec Spec, SpecError Name, SpecError Route);

    /// <summary>The place of a top-level field's value (an error with no message yet), or the file's when it has none.</summary>
    private static SpecError PlaceOf(string file, YamlMappingNode root, string field)
    {
        var value = root.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var key } && key == field).Value;
        return new SpecError(file, value?.Start.Line ?? 0, value?.Start.Column ?? 0, field, "");
    }

    private static string Where(SpecError place) => place.Line > 0 ? $"{place.File}:{place.Line}:{place.Column}" : place.File;

    private static void CheckAcrossSpecs(List<ParsedSpec> specs, List<SpecError> errors)
    {
        // Each declaration after the first is an error at its own name, pointing back at the first one.
        foreach (var group in specs.GroupBy(s => s.Spec.Name).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var again in group.Skip(1))
            {
                errors.Add(again.Name with { Message = $"service '{group.Key}' is declared more than once (first at {Where(first.Name)})" });
            }
        }

        // Same match, whatever the per-route settings: the balancer could not tell the services apart. (A service
        // declared twice is reported above, not again for its route.)
        foreach (var group in specs.Where(s => s.Spec.Route is not null).GroupBy(s => (s.Spec.Route!.Host, s.Spec.Route.PathPrefix)))
        {
            var first = group.First();
            foreach (var other in group.Where(s => s.Spec.Name != first.Spec.Name).DistinctBy(s => s.Spec.Name))
            {
                errors.Add(other.Route with
                {
                    Message = $"services {first.Spec.Name} and {other.Spec.Name} declare the same route (host '{group.Key.Host}', pathPrefix '{group.Key.PathPrefix}'; first at {Where(first.Route)}); each route must lead to one service",
                });
            }
        }
    }
}

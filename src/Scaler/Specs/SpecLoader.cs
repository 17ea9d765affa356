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
    /// located error instead of throwing.
    /// </summary>
    public static IReadOnlyList<(string File, string Text)> ReadPaths(IReadOnlyList<string> paths, List<SpecError> errors, bool requireFiles)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var texts = new List<(string File, string Text)>();
        foreach (var path in paths)
        {
            foreach (var file in FilesOf(path, errors, requireFiles))
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
        var specs = new List<ServiceSpec>();
        foreach (var (file, text) in sources)
        {
            specs.AddRange(ParseFile(file, text, errors));
        }

        CheckAcrossSpecs(specs, errors);
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

    private static List<ServiceSpec> ParseFile(string file, string text, List<SpecError> errors)
    {
        var documents = YamlDocuments.Load(file, text, errors);
        if (documents is null)
        {
            return [];
        }

        var specs = new List<ServiceSpec>();
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
                specs.Add(spec);
            }
        }

        if (documents.Count == 0)
        {
            errors.Add(new SpecError(file, 0, 0, "", "the file holds no service spec"));
        }

        return specs;
    }

    private static void CheckAcrossSpecs(List<ServiceSpec> specs, List<SpecError> errors)
    {
        foreach (var group in specs.GroupBy(s => s.Name).Where(g => g.Count() > 1))
        {
            var places = string.Join(", ", group.Select(s => s.Source));
            errors.Add(new SpecError(group.Last().Source, 0, 0, "name", $"service '{group.Key}' is declared more than once (in {places})"));
        }

        // Same match, whatever the per-route settings: the balancer could not tell the services apart.
        foreach (var group in specs.Where(s => s.Route is not null).GroupBy(s => (s.Route!.Host, s.Route.PathPrefix)).Where(g => g.Count() > 1))
        {
            var names = string.Join(", ", group.Select(s => s.Name));
            errors.Add(new SpecError(group.Last().Source, 0, 0, "route", $"services {names} declare the same route (host '{group.Key.Host}', pathPrefix '{group.Key.PathPrefix}'); each route must lead to one service"));
        }
    }
}

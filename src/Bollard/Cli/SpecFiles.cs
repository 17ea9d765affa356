using Bollard.Scaler.Admin;

namespace Bollard.Cli;

/// <summary>Reads the -f paths (files, or directories of *.yaml/*.yml) to send to the daemon.</summary>
internal static class SpecFiles
{
    public static IReadOnlyList<SpecFile> Read(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw CliArguments.Usage("give the spec files with -f PATH (a file or a directory)");
        }

        var files = new List<SpecFile>();
        foreach (var path in paths)
        {
            IEnumerable<string> found = Directory.Exists(path)
                ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path] : throw new CliException(CommandLine.Failed, $"bollard: {path}: no such file or directory");
            files.AddRange(found.Select(f => new SpecFile(f, File.ReadAllText(f))));
        }

        return files.Count > 0 ? files : throw new CliException(CommandLine.Failed, $"bollard: no *.yaml or *.yml file in {string.Join(", ", paths)}");
    }
}

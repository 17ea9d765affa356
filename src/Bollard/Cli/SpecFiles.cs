using System.CommandLine;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>
/// The spec paths of validate, plan and apply: files or directories of *.yaml/*.yml, given with -f or as arguments,
/// and <c>-</c> for standard input. Every path that cannot be read is reported with the others, never as a crash.
/// </summary>
internal static class SpecFiles
{
    public const string Stdin = "-";
    public const string StdinName = "<stdin>";

    public static Option<string[]> FileOption() => new("--file", "-f")
    {
        Description = "A spec file or a directory of *.yaml/*.yml files (- reads standard input); may be repeated",
        HelpName = "PATH",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Argument<string[]> PathArgument(Command verb)
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "More spec files or directories, as with -f" };
        return CommandLine.RejectOptionLike(paths, verb);
    }

    /// <summary>The -f paths then the argument paths; none is a usage error.</summary>
    public static IReadOnlyList<string> Paths(ParseResult result, Option<string[]> files, Argument<string[]> arguments, string verb)
    {
        ArgumentNullException.ThrowIfNull(result);
        List<string> paths = [.. result.GetValue(files) ?? [], .. result.GetValue(arguments) ?? []];
        return paths.Count > 0 ? paths : throw CommandLine.UsageError($"{verb} needs the spec files: -f PATH (a file, a directory, or - for standard input)");
    }

    /// <summary>The texts of the paths, for the daemon.</summary>
    /// <exception cref="CliException">A path is missing, unreadable, or a directory without spec files (exit code 1).</exception>
    public static IReadOnlyList<SpecFile> Read(IReadOnlyList<string> paths, CliContext context)
    {
        var errors = new List<SpecError>();
        var texts = ReadTexts(paths, context, errors);
        return errors.Count == 0
            ? [.. texts.Select(t => new SpecFile(t.File, t.Text))]
            : throw new CliException(CommandLine.Failed, new SpecValidationException(errors).Message);
    }

    /// <summary>The texts of the paths, with a located error for each one that cannot be read.</summary>
    public static IReadOnlyList<(string File, string Text)> ReadTexts(IReadOnlyList<string> paths, CliContext context, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(context);
        var texts = new List<(string File, string Text)>(SpecLoader.ReadPaths([.. paths.Where(p => p != Stdin)], errors, requireFiles: true));
        if (paths.Contains(Stdin))
        {
            texts.Add((StdinName, context.In.ReadToEnd()));
        }

        return texts;
    }
}

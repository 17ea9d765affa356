namespace Bollard.Cli;

/// <summary>
/// The arguments of a client verb: positionals plus the common flags. Flags may come anywhere after the verb;
/// <c>--flag=value</c> and <c>--flag value</c> are both accepted.
/// </summary>
internal sealed record CliArguments
{
    public const string DefaultServer = "http://127.0.0.1:9901";

    public List<string> Positionals { get; } = [];

    public List<string> Files { get; } = [];

    public string? Server { get; private set; }

    public string? TokenFile { get; private set; }

    public string? Image { get; private set; }

    public bool Json { get; private set; }

    public bool Watch { get; private set; }

    /// <exception cref="CliException">An unknown flag, or a flag without its value (exit code 2).</exception>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw Usage($"{name} needs a value"));
            switch (name)
            {
                case "-f" or "--file": parsed.Files.Add(Value()); break;
                case "--server": parsed.Server = Value(); break;
                case "--token-file": parsed.TokenFile = Value(); break;
                case "--image": parsed.Image = Value(); break;
                case "--json": parsed.Json = true; break;
                case "--watch" or "-w": parsed.Watch = true; break;
                case "--": parsed.Positionals.AddRange(args.Skip(i + 1)); return parsed;
                case var flag when flag.StartsWith('-') && flag.Length > 1: throw Usage($"unknown option '{flag}'");
                default: parsed.Positionals.Add(args[i]); break;
            }
        }

        return parsed;
    }

    /// <summary>The server: --server, else BOLLARD_SERVER, else <see cref="DefaultServer"/>.</summary>
    public Uri ServerUri(CliContext context)
    {
        var text = Server ?? context.Environment("BOLLARD_SERVER") ?? DefaultServer;
        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Usage($"--server must be an http(s) URL such as {DefaultServer}, got '{text}'");
    }

    public static CliException Usage(string message) => new(CommandLine.Usage, $"bollard: {message} (see `bollard help`)");
}

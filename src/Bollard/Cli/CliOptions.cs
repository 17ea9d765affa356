using System.CommandLine;

namespace Bollard.Cli;

/// <summary>
/// The options every verb that talks to the daemon shares, and the output format option of every verb. One instance
/// per command tree: each option object is added to the verbs that take it.
/// </summary>
internal sealed class CliOptions
{
    public const string DefaultServer = "http://127.0.0.1:9901";

    public Option<string> Server { get; } = new("--server")
    {
        Description = $"The daemon's admin API [default: BOLLARD_SERVER, else {DefaultServer}]",
        HelpName = "URL",
    };

    public Option<string> TokenFile { get; } = new("--token-file")
    {
        Description = "A file holding the admin token [default: BOLLARD_TOKEN_FILE, else /var/lib/bollard/admin.token; BOLLARD_TOKEN may hold the token itself]",
        HelpName = "PATH",
    };

    public Option<string> Output { get; } = CreateOutput();

    public Option<bool> Json { get; } = new("--json") { Description = "Same as -o json" };

    /// <summary>Adds the output options (and with <paramref name="daemon"/>, the server and token options) to a verb.</summary>
    public T AddTo<T>(T command, bool daemon)
        where T : Command
    {
        ArgumentNullException.ThrowIfNull(command);
        if (daemon)
        {
            command.Options.Add(Server);
            command.Options.Add(TokenFile);
        }

        command.Options.Add(Output);
        command.Options.Add(Json);
        return command;
    }

    public CliSettings Read(ParseResult result) => new(result.GetValue(Server), result.GetValue(TokenFile), result.GetValue(Json) || result.GetValue(Output) == "json");

    private static Option<string> CreateOutput()
    {
        var output = new Option<string>("--output", "-o") { Description = "Print a table (for people) or JSON (for scripts)", DefaultValueFactory = _ => "table", HelpName = "table|json" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }
}

/// <summary>The shared options' values for one run of a verb.</summary>
/// <param name="Server">--server, if given.</param>
/// <param name="TokenFile">--token-file, if given.</param>
/// <param name="Json">Whether to print JSON.</param>
internal sealed record CliSettings(string? Server, string? TokenFile, bool Json)
{
    /// <summary>The server: --server, else BOLLARD_SERVER, else <see cref="CliOptions.DefaultServer"/>.</summary>
    public Uri ServerUri(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = Server ?? context.Environment("BOLLARD_SERVER") ?? CliOptions.DefaultServer;
        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw CommandLine.UsageError($"--server must be an http(s) URL such as {CliOptions.DefaultServer}, got '{text}'");
    }
}

namespace Bollard.Cli;

/// <summary>What a verb writes to and reads from, so that tests capture the output instead of using the console.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Errors and warnings.</param>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="Time">The clock (the rollout watch refreshes on it).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment, TimeProvider Time)
{
    public static CliContext Console { get; } =
        new(System.Console.Out, System.Console.Error, System.Environment.GetEnvironmentVariable, TimeProvider.System)
        {
            In = System.Console.In,
            InputIsTerminal = !System.Console.IsInputRedirected,
        };

    /// <summary>Standard input: specs given as <c>-</c>, and the answer to a confirmation.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Whether someone can answer a question on <see cref="In"/> (a terminal, not a pipe or /dev/null).</summary>
    public bool InputIsTerminal { get; init; }
}

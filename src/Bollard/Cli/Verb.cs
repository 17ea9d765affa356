using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Bollard.Cli;

/// <summary>A verb of the CLI: a command with examples, which its <c>--help</c> prints after the options.</summary>
internal sealed class Verb(string name, string description) : Command(name, description)
{
    public IReadOnlyList<string> Examples { get; init; } = [];
}

/// <summary>The standard help, then the verb's examples (and, for the root, the exit codes).</summary>
internal sealed class HelpWithExamplesAction(HelpAction standard, string footer) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        standard.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        if (command is Verb { Examples.Count: > 0 } verb)
        {
            output.WriteLine("Examples:");
            foreach (var example in verb.Examples)
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
        }

        if (command is RootCommand)
        {
            output.WriteLine(footer);
        }

        return CommandLine.Ok;
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Bollard.Scaler.Specs;

namespace Bollard.Cli;

/// <summary>
/// The bollard executable's command line (System.CommandLine). Exit codes scripts can rely on: 0 success, 1 failed,
/// invalid or refused, 2 wrong usage (for <c>plan --detailed-exitcode</c>: changes pending, and wrong usage 1), 3 the daemon cannot
/// be reached, 4 authentication failed, 78 a configuration error (<c>bollard agent</c>: the unit's
/// RestartPreventExitStatus).
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int ChangesPending = 2;
    public const int Unreachable = 3;
    public const int AuthFailed = 4;

    /// <summary>EX_CONFIG from sysexits.h: restarting cannot help until the configuration is fixed.</summary>
    public const int ConfigError = Agent.AgentExitCodes.InvalidConfig;

    public const string ExitCodes = """
        Exit codes:
          0   ok (plan --detailed-exitcode: no changes)
          1   failed, invalid or refused
          2   wrong usage (plan --detailed-exitcode: changes pending, and wrong usage is 1)
          3   the daemon cannot be reached (or is not a bollard daemon)
          4   authentication failed
        bollard agent: 0 stopped as asked, 70 crashed (a bug; restarting may help), 75 cannot start now (address taken,
          state directory locked, token unreadable; restarting later may work), 78 configuration error (restarting
          cannot help until it is fixed)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, CliContext.Console, cancel.Token);
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var root = CliCommands.Create(context);
        var parsed = root.Parse(args);
        // With plan --detailed-exitcode, 2 means "changes pending": a usage error must not read as one (1, as terraform).
        var usage = parsed.Tokens.Any(t => t.Type == TokenType.Option && t.Value == SpecVerbs.DetailedExitCode) ? Failed : Usage;
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            ReportUsage(parsed, context);
            return usage;
        }

        // No termination timeout: the agent shuts down gracefully on SIGTERM (it drains), however long that takes.
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parsed.InvokeAsync(invocation, cancellationToken);
        }
        catch (CliException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return e.ExitCode == Usage ? usage : e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed;
        }
        catch (Exception e) when (context.Environment("BOLLARD_DEBUG") is null or "" or "0")
        {
            // The last resort: a message, never a stack trace (BOLLARD_DEBUG=1 shows it).
            await context.Error.WriteLineAsync($"bollard: unexpected error: {e.Message} (set BOLLARD_DEBUG=1 to see where)");
            return Failed;
        }
    }

    public static CliException UsageError(string message) => new(Usage, $"bollard: {message} (see `bollard --help`)");

    /// <summary>Every usage problem on its own line, an unknown word with the known one it is closest to.</summary>
    private static void ReportUsage(ParseResult parsed, CliContext context)
    {
        var command = parsed.CommandResult.Command;
        var unmatched = parsed.UnmatchedTokens.ToList();
        var expectsVerb = command.Subcommands.Any(c => !c.Hidden);
        if (expectsVerb && parsed.Tokens.FirstOrDefault(t => unmatched.Contains(t.Value)) is { Type: not TokenType.Option } verb && !verb.Value.StartsWith('-'))
        {
            // `bollard aply -f x`: the words after an unknown verb are its arguments, not more mistakes.
            context.Error.WriteLine($"bollard: unknown verb '{verb.Value}'{DidYouMean(verb.Value, command)}");
        }
        else
        {
            foreach (var token in unmatched)
            {
                var what = token.StartsWith('-') ? "option" : expectsVerb ? "verb" : "argument";
                context.Error.WriteLine($"bollard: unknown {what} '{token}'{DidYouMean(token, command)}");
            }

            foreach (var error in parsed.Errors.Where(e => !unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
            {
                context.Error.WriteLine($"bollard: {error.Message}");
            }
        }

        context.Error.WriteLine($"Run '{string.Join(' ', Path(command))} --help' for how to use it.");
    }

    /// <summary>"; did you mean 'apply'?" for a word close to a verb or option of <paramref name="command"/>.</summary>
    public static string DidYouMean(string token, Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        IEnumerable<string> known = token.StartsWith('-')
            ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive)).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
        var names = known.Where(n => !n.StartsWith('/')).Distinct().ToList();
        var close = Spelling.Closest(token, names, maxDistance: token.TrimStart('-').Length > 4 ? 2 : 1)
            ?? (names.Where(n => n.StartsWith(token, StringComparison.Ordinal)).ToList() is [var only] ? only : null);
        return close is null ? "" : $"; did you mean '{close}'?";
    }

    /// <summary>A mistyped option would otherwise be taken for the argument's value: it is refused, with what was meant.</summary>
    public static Argument<T> RejectOptionLike<T>(Argument<T> argument, Command verb)
    {
        ArgumentNullException.ThrowIfNull(argument);
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Select(t => t.Value).Where(t => t.StartsWith('-') && t != SpecFiles.Stdin))
            {
                result.AddError($"unknown option '{token}'{DidYouMean(token, verb)}");
            }
        });
        return argument;
    }

    private static IEnumerable<string> Path(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? Path(parent).Append(command.Name) : ["bollard"];
}

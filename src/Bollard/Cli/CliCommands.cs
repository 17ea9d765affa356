using System.CommandLine;
using System.CommandLine.Help;

namespace Bollard.Cli;

/// <summary>The command tree of the bollard executable: every verb, its options, its help and its examples.</summary>
internal static class CliCommands
{
    public static RootCommand Create(CliContext context)
    {
        var options = new CliOptions();
        var root = new RootCommand("""
            Bollard: autoscaler and load balancer for plain Docker hosts.
            `bollard agent` runs the daemon; the other verbs are tools around it (validate works offline, the rest talk to
            the daemon's admin API).
            """);
        foreach (var option in root.Options)
        {
            switch (option)
            {
                case HelpOption help:
                    help.Action = new HelpWithExamplesAction((HelpAction)help.Action!, CommandLine.ExitCodes);
                    break;
                case VersionOption version:
                    version.Aliases.Add("-v");
                    version.Action = new VersionAction();
                    break;
            }
        }

        // `bollard` alone: the help, as a usage error.
        root.SetAction(result =>
        {
            context.Error.WriteLine("bollard: say what to do: a verb such as apply, plan or status");
            context.Error.WriteLine("Run 'bollard --help' for the verbs and 'bollard VERB --help' for one of them.");
            return CommandLine.Usage;
        });

        Command[] verbs =
        [
            AgentVerb.Create(context),
            SpecVerbs.Validate(options, context),
            SpecVerbs.Plan(options, context),
            SpecVerbs.Apply(options, context),
            StatusVerbs.Status(options, context),
            StatusVerbs.Decisions(options, context),
            StatusVerbs.Audit(options, context),
            RolloutVerbs.Create(options, context),
            SimulateVerb.Create(options, context),
            VersionVerb.Create(options, context),
            CompletionVerb.Create(context),
            SchemaVerb.Create(context),
            HelpVerb(context),
        ];
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>`bollard help [VERB...]`: the same as `bollard [VERB...] --help`.</summary>
    private static Verb HelpVerb(CliContext context)
    {
        var verb = new Verb("help", "Show the help of bollard or of a verb") { Hidden = true };
        var words = new Argument<string[]>("VERB") { Arity = ArgumentArity.ZeroOrMore };
        verb.Arguments.Add(words);
        verb.SetAction((result, cancellationToken) => CommandLine.RunAsync([.. result.GetValue(words) ?? [], "--help"], context, cancellationToken));
        return verb;
    }
}

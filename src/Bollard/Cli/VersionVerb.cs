using System.CommandLine;
using System.CommandLine.Invocation;

namespace Bollard.Cli;

/// <summary>`bollard version`: what this build is and runs on; `-v`/`--version`: the version in one line.</summary>
internal static class VersionVerb
{
    public static Verb Create(CliOptions options, CliContext context)
    {
        var verb = new Verb("version", "Print the version, the git commit and date it was built from, the .NET runtime and the OS/architecture")
        {
            Examples = ["bollard version", "bollard version -o json", "bollard --version"],
        };
        options.AddTo(verb, daemon: false);
        verb.SetAction(result =>
        {
            var build = BuildInfo.Current;
            context.Out.Write(options.Read(result).Json
                ? SpecVerbs.Json(build with { })
                : $"""
                  bollard {build.Version}
                    commit:   {build.Commit}
                    built:    {build.BuildDate}
                    runtime:  {build.Runtime}
                    os/arch:  {build.Os}/{build.Architecture}

                  """);
            return CommandLine.Ok;
        });
        return verb;
    }
}

/// <summary>-v / --version: one line.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var build = BuildInfo.Current;
        parseResult.InvocationConfiguration.Output.WriteLine($"bollard {build.Version} (commit {build.ShortCommit}, built {build.BuildDate})");
        return CommandLine.Ok;
    }
}

using System.CommandLine;
using System.Text.Json;
using Bollard.Cli;
using Bollard.Scaler.Admin;

namespace Bollard.IntegrationTests.Cli;

/// <summary>The command line itself, through the real executable: help, examples, typos, version, completion.</summary>
public sealed class CliUsageTests
{
    public static TheoryData<string> Verbs()
    {
        var data = new TheoryData<string>();
        foreach (var path in VerbPaths(CliCommands.Create(new CliContext(TextWriter.Null, TextWriter.Null, _ => null, TimeProvider.System)), []))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_has_help_with_examples(string verb)
    {
        var run = (await BollardExecutable.RunAsync([.. verb.Split(' '), "--help"])).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Ok, run.ToString());
        Assert.Contains($"bollard {verb}", run.Out, StringComparison.Ordinal);
        Assert.Contains("Examples:", run.Out, StringComparison.Ordinal);
        Assert.Contains($"  bollard {verb}", run.Out[run.Out.IndexOf("Examples:", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_top_help_lists_the_verbs_and_the_exit_codes_and_help_verb_shows_a_verbs_help()
    {
        var top = await BollardExecutable.RunAsync(["--help"]);
        var help = await BollardExecutable.RunAsync(["help", "apply"]);

        Assert.Equal(CommandLine.Ok, top.Code);
        Assert.Contains("78 configuration error", top.Out, StringComparison.Ordinal);
        Assert.All(["agent", "validate", "plan", "apply", "status", "rollout", "version", "completion", "schema"], verb => Assert.Contains($"  {verb}", top.Out, StringComparison.Ordinal));
        Assert.Equal(CommandLine.Ok, help.Code);
        Assert.Contains("--prune", help.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "aply", "-f", "x.yaml" }, "unknown verb 'aply'; did you mean 'apply'?")]
    [InlineData(new[] { "stauts" }, "unknown verb 'stauts'; did you mean 'status'?")]
    [InlineData(new[] { "rollout", "pasue", "web" }, "unknown verb 'pasue'; did you mean 'pause'?")]
    [InlineData(new[] { "apply", "--fiel", "x.yaml" }, "unknown option '--fiel'; did you mean '--file'?")]
    [InlineData(new[] { "status", "--sever", "http://127.0.0.1:1" }, "unknown option '--sever'; did you mean '--server'?")]
    [InlineData(new[] { "plan", "-f", "x.yaml", "--detailed-exit-code" }, "did you mean '--detailed-exitcode'?")]
    [InlineData(new[] { "status", "-o", "yaml" }, "'yaml'")]
    [InlineData(new[] { "rollout", "start", "web" }, "'--image' is required")]
    [InlineData(new[] { "status", "a", "b" }, "'b'")]
    [InlineData(new string[0], "say what to do")]
    public async Task Wrong_usage_exits_2_with_what_was_meant(string[] args, string expected)
    {
        var run = (await BollardExecutable.RunAsync(args)).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Usage, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_words_after_an_unknown_verb_are_not_reported_as_more_mistakes()
    {
        var run = (await BollardExecutable.RunAsync(["rollout", "strat", "web", "--image", "x:1"])).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Usage, run.ToString());
        Assert.Equal(
            ["bollard: unknown verb 'strat'; did you mean 'start'?", "Run 'bollard rollout --help' for how to use it."],
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData(new[] { "plan", "-f", "x.yaml", "--detailed-exitcode", "--pruen" }, "did you mean '--prune'?")]
    [InlineData(new[] { "plan", "--detailed-exitcode" }, "plan needs the spec files")]
    public async Task With_detailed_exitcode_wrong_usage_exits_1_never_the_2_of_changes_pending(string[] args, string expected)
    {
        var run = (await BollardExecutable.RunAsync(args)).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Failed, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_says_what_was_built_from_which_commit_when_and_what_it_runs_on()
    {
        var text = await BollardExecutable.RunAsync(["version"]);
        var json = await BollardExecutable.RunAsync(["version", "-o", "json"]);
        var shortFlag = await BollardExecutable.RunAsync(["-v"]);
        var longFlag = await BollardExecutable.RunAsync(["--version"]);

        Assert.Equal(CommandLine.Ok, text.Code);
        var build = JsonDocument.Parse(json.Out).RootElement;
        Assert.Matches(@"^\d+\.\d+\.\d+", build.GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{40}$", build.GetProperty("commit").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", build.GetProperty("buildDate").GetString());
        Assert.StartsWith(".NET 10", build.GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.Equal("linux", build.GetProperty("os").GetString());
        Assert.Contains($"os/arch:  linux/{build.GetProperty("architecture").GetString()}", text.Out, StringComparison.Ordinal);
        Assert.Contains($"commit:   {build.GetProperty("commit").GetString()}", text.Out, StringComparison.Ordinal);
        var line = $"bollard {build.GetProperty("version").GetString()} (commit {build.GetProperty("commit").GetString()![..12]}, built {build.GetProperty("buildDate").GetString()})\n";
        Assert.Equal((CommandLine.Ok, line), (shortFlag.Code, shortFlag.Out));
        Assert.Equal((CommandLine.Ok, line), (longFlag.Code, longFlag.Out));
    }

    [Theory]
    [InlineData("bollard ap", "apply")]
    [InlineData("bollard apply --pr", "--prune")]
    [InlineData("bollard rollout ", "promote")]
    [InlineData("bollard status -o ", "json")]
    [InlineData("bollard completion ", "fish")]
    public async Task Bash_completion_asks_bollard_itself(string line, string expected)
    {
        var script = (await BollardExecutable.RunAsync(["completion", "bash"])).Out;
        var file = Path.Combine(Path.GetTempPath(), $"bollard-completion-{Guid.NewGuid():N}.bash");
        await File.WriteAllTextAsync(file, script);
        try
        {
            // Sources the script as a user's shell would, then calls the completion function for `line` as bash does on Tab.
            var words = line.Split(' ');
            var shell = $$"""
                export PATH="{{Path.GetDirectoryName(BollardExecutable.FilePath)}}:$PATH"
                source '{{file}}'
                COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
                _bollard_complete
                printf '%s\n' "${COMPREPLY[@]}"
                """;
            var run = await Shell.RunAsync("bash", shell);

            Assert.Contains(expected, run.Split('\n'));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("zsh", "compdef _bollard bollard")]
    [InlineData("fish", "complete -c bollard")]
    public async Task Zsh_and_fish_get_scripts_that_ask_bollard_itself(string shell, string expected)
    {
        var run = await BollardExecutable.RunAsync(["completion", shell]);

        Assert.Equal(CommandLine.Ok, run.Code);
        Assert.Contains(expected, run.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
        // What the scripts run, for the line they would pass.
        var suggested = (await BollardExecutable.RunAsync(["[suggest:17]", "bollard rollout u"])).Out.Split('\n');
        Assert.Contains("undo", suggested);
        Assert.DoesNotContain("promote", suggested);
    }

    [Fact]
    public void A_plan_is_a_table_then_the_changes_then_the_cautions_then_a_summary()
    {
        var plan = new PlanResult(
            [
                new ServicePlan("web", PlanChange.Changed, "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "3", "3", null, null, ["image: app:v1 -> app:v2"], 3, 3, [new VersionWeight("bbbbbbbbbbbbbbbb", 100)]),
                new ServicePlan("api", PlanChange.Unchanged, "cccc", "cccc", "1", "1", null, null, [], 0, 0, [new VersionWeight("cccc", 100)]),
                new ServicePlan("old", PlanChange.Removed, "dddd", null, "2", null, null, null, ["removed"], 0, 2, []) { Caution = "removes the service and its 2 replica(s)" },
                new ServicePlan("batch", PlanChange.Kept, "eeee", "eeee", "1", "1", null, null, ["not in the given files: left as it is (apply --prune removes it)"], 0, 0, [new VersionWeight("eeee", 100)]),
            ],
            "0123456789abcdef");

        var text = SpecVerbs.FormatPlan(plan);

        Assert.Equal(
            """
            SERVICE  CHANGE     VERSION                       REPLICAS  CREATE  REMOVE  WEIGHTS
            web      changed    aaaaaaaaaaaa -> bbbbbbbbbbbb  3         3       3       bbbbbbbbbbbb=100%
            api      unchanged  cccc                          1         0       0       cccc=100%
            old      removed    dddd -> -                     2 -> -    0       2       -
            batch    kept       eeee                          1         0       0       eeee=100%
              web: image: app:v1 -> app:v2
              old: removed
              batch: not in the given files: left as it is (apply --prune removes it)
              caution: old: removes the service and its 2 replica(s)
            Plan: 0 to add, 1 to change, 1 to remove. 1 not in the files and kept (--prune removes them).

            """.ReplaceLineEndings("\n"),
            text);
    }

    private static IEnumerable<string> VerbPaths(Command command, List<string> path)
    {
        foreach (var verb in command.Subcommands.Where(c => !c.Hidden))
        {
            List<string> here = [.. path, verb.Name];
            yield return string.Join(' ', here);
            foreach (var sub in VerbPaths(verb, here))
            {
                yield return sub;
            }
        }
    }
}

using Bollard.Cli;
using Bollard.Scaler.Admin;

namespace Bollard.IntegrationTests.Cli;

/// <summary>The CLI's argument parsing and table formatting (no daemon needed).</summary>
public sealed class CliArgumentsTests
{
    [Fact]
    public void Flags_come_anywhere_and_take_their_value_either_way()
    {
        var args = CliArguments.Parse(["-f", "a.yaml", "web", "--server=http://10.0.0.1:9901", "--json", "--file", "b.yaml", "--token-file", "/t"]);

        Assert.Equal(["a.yaml", "b.yaml"], args.Files);
        Assert.Equal(["web"], args.Positionals);
        Assert.Equal(("http://10.0.0.1:9901", "/t", true), (args.Server, args.TokenFile, args.Json));
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--server")]
    public void A_wrong_flag_is_a_usage_error(string flag)
    {
        var error = Assert.Throws<CliException>(() => CliArguments.Parse([flag]));

        Assert.Equal(CommandLine.Usage, error.ExitCode);
    }

    [Fact]
    public void The_server_comes_from_the_flag_then_the_environment_then_the_default()
    {
        var context = Context(new() { ["BOLLARD_SERVER"] = "http://10.1.1.1:9901" });

        Assert.Equal("http://10.0.0.1:1/", CliArguments.Parse(["--server", "http://10.0.0.1:1"]).ServerUri(context).ToString());
        Assert.Equal("http://10.1.1.1:9901/", CliArguments.Parse([]).ServerUri(context).ToString());
        Assert.Equal("http://127.0.0.1:9901/", CliArguments.Parse([]).ServerUri(Context([])).ToString());
        Assert.Equal(CommandLine.Usage, Assert.Throws<CliException>(() => CliArguments.Parse(["--server", "ftp://x"]).ServerUri(context)).ExitCode);
    }

    [Fact]
    public void Tables_pad_columns_and_trim_line_ends()
    {
        var table = CliTable.Format(["SERVICE", "HEALTH"], [["web", "healthy"], ["payments", ""]]);

        Assert.Equal("SERVICE   HEALTH\nweb       healthy\npayments\n", table);
    }

    [Fact]
    public void A_plan_is_a_table_then_the_changes_then_a_summary()
    {
        var plan = new PlanResult([
            new ServicePlan("web", PlanChange.Changed, "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "3", "3", null, null, ["image: app:v1 -> app:v2"], 3, 3, [new VersionWeight("bbbbbbbbbbbbbbbb", 100)]),
            new ServicePlan("api", PlanChange.Unchanged, "cccc", "cccc", "1", "1", null, null, [], 0, 0, [new VersionWeight("cccc", 100)]),
        ]);

        var text = SpecVerbs.FormatPlan(plan);

        Assert.Equal(
            """
            SERVICE  CHANGE     VERSION                       REPLICAS  CREATE  REMOVE  WEIGHTS
            web      changed    aaaaaaaaaaaa -> bbbbbbbbbbbb  3         3       3       bbbbbbbbbbbb=100%
            api      unchanged  cccc                          1         0       0       cccc=100%
              web: image: app:v1 -> app:v2
            Plan: 0 to add, 1 to change, 0 to remove.

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes_and_unknown_verbs_are_usage_errors()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var context = new CliContext(output, error, _ => null, TimeProvider.System);

        Assert.Equal(CommandLine.Ok, await CommandLine.RunAsync(["help"], context, default));
        Assert.Contains("3 daemon unreachable, 4 authentication failed", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(CommandLine.Usage, await CommandLine.RunAsync(["frobnicate"], context, default));
        Assert.Equal(CommandLine.Usage, await CommandLine.RunAsync(["status", "a", "b"], context, default));
    }

    private static CliContext Context(Dictionary<string, string> environment) =>
        new(TextWriter.Null, TextWriter.Null, name => environment.GetValueOrDefault(name), TimeProvider.System);
}

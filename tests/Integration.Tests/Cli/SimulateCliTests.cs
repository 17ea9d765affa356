using System.Text.Json;
using System.Xml.Linq;
using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>
/// <c>bollard simulate</c> through the real executable: offline, so no daemon, Docker or Consul. The trace is a load
/// step small enough to compute by hand: 80 rps, then 200 rps from 10 s to 40 s, on 2..10 replicas at 50 rps each,
/// replicas ready 3 s after their start: one scale-out 2 -> 4 at 10 s, 3 s above target.
/// </summary>
public sealed class SimulateCliTests : IDisposable
{
    private const string Web = """
        name: web
        image: app:v1
        port: 8080
        replicas: { min: 2, max: 10 }
        autoscaling:
          metrics:
            - { type: rps, target: 50 }
        """;

    private const string Loose = """
        name: web
        image: app:v1
        port: 8080
        replicas: { min: 2, max: 10 }
        autoscaling:
          metrics:
            - { type: rps, target: 100 }
        """;

    private const string Step = "time,rps\n0,80\n10,200\n20,200\n30,200\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-simulate-").FullName;

    public SimulateCliTests()
    {
        Write("web.yaml", Web);
        Write("loose.yaml", Loose);
        Write("trace.csv", Step);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_table_gives_the_metrics_and_the_replica_timeline()
    {
        var run = await Run("simulate", "-f", "web.yaml", "--trace", "trace.csv", "--start-delay", "3s");

        Assert.Equal((CommandLine.Ok, ""), (run.ExitCode, run.Error));
        Assert.Equal(
            """
            Trace trace.csv: 4 rows over 40s; replica start delay 3s.

            METRIC                 web.yaml (web)
            replica-seconds        140
            average replicas       3.5
            peak replicas          4
            seconds above target   3
            requests above target  300
            scale events           1
            largest step           2

            T+SECONDS  RPS  REPLICAS  RULE
            10         200  2 -> 4    target-tracking:rps

            """.ReplaceLineEndings("\n"),
            run.Out);
    }

    [Fact]
    public async Task Json_gives_the_same_numbers_and_every_decision_with_its_reason()
    {
        var run = await Run("simulate", "-f", "web.yaml", "--trace", "trace.csv", "-o", "json");

        Assert.Equal(CommandLine.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var policy = Assert.Single(json.RootElement.GetProperty("policies").EnumerateArray());
        Assert.Equal(140, policy.GetProperty("replicaSeconds").GetDouble());
        Assert.Equal(300, policy.GetProperty("requestsAboveTarget").GetDouble());
        Assert.Equal(3, policy.GetProperty("secondsAboveTarget").GetDouble());
        var change = Assert.Single(policy.GetProperty("timeline").EnumerateArray());
        Assert.Equal((10.0, 2, 4), (change.GetProperty("atSeconds").GetDouble(), change.GetProperty("from").GetInt32(), change.GetProperty("to").GetInt32()));
        Assert.StartsWith("rps 200/s over 2 replicas", change.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("differences").ValueKind);
        Assert.Equal(40, json.RootElement.GetProperty("trace").GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public async Task Compare_puts_both_policies_side_by_side_against_the_first_ones_targets_and_plots_both()
    {
        var run = await Run("simulate", "-f", "web.yaml", "--compare", "loose.yaml", "--trace", "trace.csv", "--plot", "chart.svg");

        Assert.Equal(CommandLine.Ok, run.ExitCode);
        var lines = run.Out.Split('\n');
        Assert.Contains("METRIC                 web.yaml (web)  loose.yaml (web)  DIFFERENCE", lines);
        Assert.Contains("replica-seconds        140             80                -60 (-42.9%)", lines);
        Assert.Contains("seconds above target   3               30                +27 (+900%)", lines); // 200 rps on 2 replicas is 100 each: at the loose target, not the first one's
        Assert.Contains("T+SECONDS  RPS  web.yaml  loose.yaml", lines);
        Assert.Contains("10         200  2 -> 4    2", lines);
        Assert.Contains("chart written to chart.svg", run.Error, StringComparison.Ordinal);

        var svg = XDocument.Load(Path.Combine(_directory, "chart.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(
            ["load (requests/s)", "web.yaml: replicas", "loose.yaml: replicas"],
            svg.Descendants(ns + "polyline").Select(l => l.Element(ns + "title")!.Value));

        var json = await Run("simulate", "-f", "web.yaml", "--compare", "loose.yaml", "--trace", "trace.csv", "--json");
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(-60, document.RootElement.GetProperty("differences").GetProperty("replicaSeconds").GetDouble());
        Assert.Equal(2700, document.RootElement.GetProperty("differences").GetProperty("requestsAboveTarget").GetDouble());
    }

    [Theory]
    [InlineData("0,1\n10,2\n5,3\n", "trace.csv:3: time 5s is not after the previous row's 10s (line 2): rows must be sorted by time, each time once")]
    [InlineData("0,1\n10,-2\n", "trace.csv:2: rps -2 is negative")]
    [InlineData("", "trace.csv: no data rows (expected CSV lines time,rps[,p95_ms][,cpu])")]
    [InlineData("time,rps,mem\n0,1,1\n", "trace.csv:1: unknown column 'mem' in the header (columns: time,rps[,p95_ms][,cpu])")]
    [InlineData("0,1,2,3,4\n10,1\n", "trace.csv:1: expected 2 to 4 columns (time,rps[,p95_ms][,cpu]), got 5")]
    public async Task A_bad_trace_fails_with_a_located_message_and_no_stack_trace(string trace, string expected)
    {
        Write("bad.csv", trace);
        File.Move(Path.Combine(_directory, "bad.csv"), Path.Combine(_directory, "trace.csv"), overwrite: true);

        var run = await Run("simulate", "-f", "web.yaml", "--trace", "trace.csv");

        Assert.Equal((CommandLine.Failed, expected + "\n", ""), (run.ExitCode, run.Error, run.Out));
    }

    [Fact]
    public async Task A_bad_spec_fails_with_a_located_message_and_no_stack_trace()
    {
        Write("bad.yaml", "name: web\nimage: app:v1\nport: 8080\nreplicas: { min: 5, max: 2 }\n");

        var run = await Run("simulate", "-f", "bad.yaml", "--trace", "trace.csv");

        Assert.Equal(CommandLine.Failed, run.ExitCode);
        Assert.Contains("bad.yaml:4:", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CommandLine.Failed, "bollard: missing.csv: cannot read", "simulate", "-f", "web.yaml", "--trace", "missing.csv")]
    [InlineData(CommandLine.Failed, "bollard: missing.yaml: no such file", "simulate", "-f", "missing.yaml", "--trace", "trace.csv")]
    [InlineData(CommandLine.Usage, "Option '--trace' is required", "simulate", "-f", "web.yaml")]
    [InlineData(CommandLine.Usage, "Argument 'xml' not recognized", "simulate", "-f", "web.yaml", "--trace", "trace.csv", "-o", "xml")]
    [InlineData(CommandLine.Usage, "--start-delay must be a duration such as 3s or 500ms, got 'soon'", "simulate", "-f", "web.yaml", "--trace", "trace.csv", "--start-delay", "soon")]
    [InlineData(CommandLine.Usage, "unknown option '--bogus'", "simulate", "-f", "web.yaml", "--trace", "trace.csv", "--bogus")]
    public async Task Wrong_usage_and_missing_files_say_what_is_wrong(int exitCode, string message, params string[] args)
    {
        var run = await Run(args);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    private Task<BollardCommand.Outcome> Run(params string[] args) => BollardCommand.RunAsync(_directory, args);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_directory, name), text);
}

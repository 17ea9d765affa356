using System.Text.Json;
using Bollard.Cli;

namespace Bollard.IntegrationTests.Cli;

/// <summary>`bollard validate` on the files operators really have: several of them, standard input, tabs, typos,
/// links to nothing, files it may not read, empty directories. Every problem is a located line, never a crash.</summary>
public sealed class CliSpecFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-specs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_service_declared_in_two_arguments_is_caught()
    {
        var a = Write("a.yaml", Spec("web") + "route: {pathPrefix: /}\n");
        var b = Write("b.yaml", Spec("web") + "route: {pathPrefix: /}\n");

        var run = (await BollardExecutable.RunAsync(["validate", a, b])).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        // At the second declaration's name, pointing at the first; its route is not reported again as a clash.
        Assert.Contains($"{b}:1:7: name: service 'web' is declared more than once (first at {a}:1:7)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("same route", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_named_twice_is_read_once()
    {
        var a = Write("a.yaml", Spec("web"));

        var run = (await BollardExecutable.RunAsync(["validate", a, _directory, a, "-o", "json"])).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Ok, run.ToString());
        Assert.Equal(1, JsonDocument.Parse(run.Out).RootElement.GetProperty("services").GetArrayLength());
    }

    [Fact]
    public async Task Specs_come_from_standard_input_with_a_dash()
    {
        var run = (await BollardExecutable.RunAsync(["validate", "-"], stdin: Spec("web"))).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Ok, run.ToString());
        Assert.Contains("<stdin>: service 'web' is valid", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_speaks_json_with_o_json_and_its_json_alias()
    {
        var good = Write("good.yaml", Spec("web"));
        var bad = Write("bad.yaml", "name: api\nimage: x:1\nport: nope\n");

        var valid = (await BollardExecutable.RunAsync(["validate", good, "-o", "json"])).WithoutStackTrace();
        var invalid = (await BollardExecutable.RunAsync(["validate", bad, "--json"])).WithoutStackTrace();

        Assert.Equal(CommandLine.Ok, valid.Code);
        var service = JsonDocument.Parse(valid.Out).RootElement.GetProperty("services")[0];
        Assert.Equal(("web", good), (service.GetProperty("name").GetString(), service.GetProperty("source").GetString()));
        Assert.Equal(CommandLine.Failed, invalid.Code);
        var error = JsonDocument.Parse(invalid.Out).RootElement;
        Assert.False(error.GetProperty("valid").GetBoolean());
        Assert.Equal(("port", 3L), (error.GetProperty("errors")[0].GetProperty("field").GetString(), error.GetProperty("errors")[0].GetProperty("line").GetInt64()));
    }

    [Fact]
    public async Task A_tab_is_reported_at_its_own_line()
    {
        var file = Write("tabs.yaml", "name: web\nimage: x:1\nport: 80\nhealth:\n  path: /h\n\tinterval: 2s\n");

        var run = (await BollardExecutable.RunAsync(["validate", file])).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains($"{file}:6:1: malformed YAML: a tab in the indentation (YAML indents with spaces only)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_one_edit_from_a_known_one_is_named()
    {
        var file = Write("typo.yaml", Spec("web") + "replica: 3\nhealth:\n  intreval: 2s\n");

        var run = (await BollardExecutable.RunAsync(["validate", file])).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains($"{file}:4:1: replica: unknown field; did you mean 'replicas'? (allowed here: ", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{file}:6:3: health.intreval: unknown field; did you mean 'interval'? (allowed here: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_nothing_in_a_spec_directory_is_a_located_error()
    {
        Write("web.yaml", Spec("web"));
        File.CreateSymbolicLink(Path.Combine(_directory, "api.yaml"), Path.Combine(_directory, "gone.yaml"));

        var run = (await BollardExecutable.RunAsync(["validate", _directory])).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains($"{Path.Combine(_directory, "api.yaml")}: cannot be read: a link to {Path.Combine(_directory, "gone.yaml")}, which does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_it_may_not_read_is_a_located_error()
    {
        // Root reads everything: the executable runs as nobody, on a file only root may read.
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        var file = Write("secret.yaml", Spec("web"));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var run = (await BollardExecutable.RunAsync(["validate", _directory], asUser: "65534")).WithoutStackTrace();

        Assert.True(run.Code == CommandLine.Failed, run.ToString());
        Assert.Contains($"{file}: cannot be read: permission denied", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("plan")]
    public async Task An_empty_directory_says_so(string verb)
    {
        var empty = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;
        var environment = new Dictionary<string, string> { ["BOLLARD_TOKEN"] = "unused-token-value", ["BOLLARD_SERVER"] = "http://127.0.0.1:1" };

        var run = (await BollardExecutable.RunAsync([verb, "-f", empty], environment: environment)).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains($"{empty}: the directory holds no *.yaml or *.yml file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_path_is_a_located_error()
    {
        var run = (await BollardExecutable.RunAsync(["validate", Path.Combine(_directory, "nope.yaml")])).WithoutStackTrace();

        Assert.Equal(CommandLine.Failed, run.Code);
        Assert.Contains("nope.yaml: no such file or directory", run.Error, StringComparison.Ordinal);
    }

    private static string Spec(string name) => $"name: {name}\nimage: {TestEnvironment.SampleImage}:v1\nport: 8080\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}

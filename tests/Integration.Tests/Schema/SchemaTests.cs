using System.Text.Json.Nodes;
using Bollard.Agent;
using Bollard.IntegrationTests.Cli;
using Bollard.Scaler.Specs.Schema;
using YamlDotNet.RepresentationModel;

namespace Bollard.IntegrationTests.Schema;

/// <summary>
/// The JSON Schemas of service specs and agent.yaml: recorded from the parsers, published by `bollard schema` and in
/// docs/schema/ (which must be what the parsers say today), and accepting the files the project ships.
/// </summary>
public sealed class SchemaTests
{
    public static TheoryData<string, string> Schemas() => new()
    {
        { "spec", "service-spec.schema.json" },
        { "agent", "agent.schema.json" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task The_committed_schema_is_what_the_parser_and_the_executable_say_today(string which, string file)
    {
        var committed = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "schema", file));
        var run = (await BollardExecutable.RunAsync(["schema", which])).WithoutStackTrace();

        Assert.Equal(0, run.Code);
        Assert.True(
            committed == run.Out,
            $"docs/schema/{file} is out of date: run `dotnet run --project src/Bollard -- schema {which} > docs/schema/{file}`");
    }

    [Fact]
    public void The_spec_schema_has_the_parsers_shapes()
    {
        var schema = SpecSchemas.ServiceSpec();

        Assert.Equal(["name", "image", "port"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["integer", "object"], schema["properties"]!["replicas"]!["anyOf"]!.AsArray().Select(a => a!["type"]!.GetValue<string>()));
        Assert.Equal(65535, schema["properties"]!["port"]!["maximum"]!.GetValue<int>());
        Assert.Equal(["rps", "inflight", "p95", "cpu"], schema["properties"]!["autoscaling"]!["properties"]!["metrics"]!["items"]!["properties"]!["type"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(schema["properties"]!["health"]!["additionalProperties"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("spec", "examples/demo/services/web.yaml")]
    [InlineData("spec", "examples/demo/bad-version/web.yaml")]
    [InlineData("agent", "examples/demo/agent.yaml")]
    [InlineData("agent", "deploy/systemd/agent.yaml")]
    public void The_files_the_project_ships_pass_their_schema(string which, string file)
    {
        var schema = which == "spec" ? SpecSchemas.ServiceSpec() : AgentConfigLoader.Schema();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, file))));

        Assert.All(yaml.Documents, d => Assert.Empty(YamlSchemaCheck.Problems(schema, d.RootNode)));
    }

    [Theory]
    [InlineData("name: web\nimage: x:1\nport: 80\nreplica: 3\n", "replica: not in the schema")]
    [InlineData("name: web\nimage: x:1\nport: 99999\n", "port: 99999 is out of range")]
    [InlineData("name: web\nimage: x:1\nport: 80\nhealth: {interval: soon}\n", "health.interval: 'soon' does not match")]
    [InlineData("name: web\nimage: x:1\nport: 80\nautoscaling: {metrics: [{type: rpm, target: 5}]}\n", "'rpm' is not one of")]
    [InlineData("name: web\nimage: x:1\n", "port: required")]
    public void The_spec_schema_catches_what_the_parser_catches(string text, string expected)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));

        Assert.Contains(YamlSchemaCheck.Problems(SpecSchemas.ServiceSpec(), yaml.Documents[0].RootNode), p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Throws<Bollard.Scaler.Specs.SpecValidationException>(() => Bollard.Scaler.Specs.SpecLoader.LoadTexts([("web.yaml", text)]));
    }
}

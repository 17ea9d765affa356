using System.CommandLine;
using Bollard.Agent;
using Bollard.Scaler.Specs.Schema;

namespace Bollard.Cli;

/// <summary>
/// `bollard schema spec|agent`: the JSON Schema of a service spec or of agent.yaml, recorded from the parsers' own rules
/// (docs/schema/ holds the same), for editors to complete and check the files.
/// </summary>
internal static class SchemaVerb
{
    public static Verb Create(CliContext context)
    {
        var verb = new Verb("schema", "Print the JSON Schema of a service spec (spec) or of agent.yaml (agent), for editors")
        {
            Examples =
            [
                "bollard schema spec > service-spec.schema.json",
                "# then, first line of a spec for editors with the YAML language server:",
                "# yaml-language-server: $schema=./service-spec.schema.json",
            ],
        };
        var which = new Argument<string>("FILE") { Description = "spec or agent" };
        which.AcceptOnlyFromAmong("spec", "agent");
        verb.Arguments.Add(which);
        verb.SetAction(result =>
        {
            context.Out.Write(SchemaRecorder.Text(result.GetValue(which) == "agent" ? AgentConfigLoader.Schema() : SpecSchemas.ServiceSpec()));
            return CommandLine.Ok;
        });
        return verb;
    }
}

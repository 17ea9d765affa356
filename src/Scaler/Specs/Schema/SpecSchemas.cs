using System.Text.Json.Nodes;

namespace Bollard.Scaler.Specs.Schema;

/// <summary>The JSON Schema of a service spec document, recorded from <see cref="ServiceSpecParser"/> (see <see cref="SchemaRecorder"/>).</summary>
public static class SpecSchemas
{
    public static JsonObject ServiceSpec() =>
        SchemaRecorder.Record("Bollard service spec", yaml => ServiceSpecParser.Read(yaml));
}

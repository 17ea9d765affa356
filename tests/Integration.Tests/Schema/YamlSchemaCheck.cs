using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bollard.IntegrationTests.Schema;

/// <summary>
/// Checks a YAML document against a JSON Schema as an editor's YAML language server does: plain scalars typed by YAML's
/// core schema (3 is a number, true a boolean, "3" a string), then the schema's keywords the generated schemas use
/// (type, enum, minimum, maximum, pattern, properties, required, additionalProperties, items, anyOf).
/// </summary>
internal static partial class YamlSchemaCheck
{
    public static List<string> Problems(JsonObject schema, YamlNode node, string path = "")
    {
        if (schema["anyOf"] is JsonArray alternatives)
        {
            var each = alternatives.Select(a => Problems(a!.AsObject(), node, path)).ToList();
            return each.Any(p => p.Count == 0) ? [] : [$"{path}: matches none of its {alternatives.Count} forms ({string.Join(" / ", each.Select(p => string.Join(", ", p)))})"];
        }

        var problems = new List<string>();
        var type = TypeOf(node);
        var allowed = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        if (allowed.Count > 0 && !allowed.Contains(type) && !(type == "integer" && allowed.Contains("number")))
        {
            return [$"{path}: is {type}, the schema says {string.Join(" or ", allowed)}"];
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (schema["enum"] is JsonArray values && !values.Any(v => v!.GetValue<string>() == text))
                {
                    problems.Add($"{path}: '{text}' is not one of {values.ToJsonString()}");
                }

                if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
                {
                    problems.Add($"{path}: '{text}' does not match {pattern}");
                }

                if (type is "integer" or "number" && double.Parse(text, CultureInfo.InvariantCulture) is var number
                    && ((schema["minimum"] is JsonValue min && number < Number(min)) || (schema["maximum"] is JsonValue max && number > Number(max))))
                {
                    problems.Add($"{path}: {text} is out of range");
                }

                break;
            case YamlMappingNode mapping:
                var properties = schema["properties"]?.AsObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (properties?[name] is JsonObject property)
                    {
                        problems.AddRange(Problems(property, value, $"{path}.{name}".TrimStart('.')));
                    }
                    else if (schema["additionalProperties"] is JsonObject additional)
                    {
                        problems.AddRange(Problems(additional, value, $"{path}.{name}".TrimStart('.')));
                    }
                    else if (schema["additionalProperties"] is JsonValue open && !open.GetValue<bool>())
                    {
                        problems.Add($"{path}.{name}: not in the schema".TrimStart('.'));
                    }
                }

                foreach (var required in schema["required"]?.AsArray() ?? [])
                {
                    if (!mapping.Children.ContainsKey(new YamlScalarNode(required!.GetValue<string>())))
                    {
                        problems.Add($"{path}.{required}: required".TrimStart('.'));
                    }
                }

                break;
            case YamlSequenceNode sequence when schema["items"] is JsonObject items:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    problems.AddRange(Problems(items, sequence.Children[i], $"{path}[{i}]"));
                }

                break;
        }

        return problems;
    }

    private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

    private static string TypeOf(YamlNode node) => node switch
    {
        YamlMappingNode => "object",
        YamlSequenceNode => "array",
        YamlScalarNode { Style: not ScalarStyle.Plain } => "string",
        YamlScalarNode { Value: "true" or "True" or "TRUE" or "false" or "False" or "FALSE" } => "boolean",
        YamlScalarNode scalar when Integer().IsMatch(scalar.Value ?? "") => "integer",
        YamlScalarNode scalar when Float().IsMatch(scalar.Value ?? "") => "number",
        YamlScalarNode { Value: "" or "~" or "null" } => "null",
        _ => "string",
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

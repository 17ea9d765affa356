using System.Text.RegularExpressions;

namespace Bollard.Scaler.Specs;

/// <summary>
/// Reads <c>env:</c> and <c>envFrom:</c>. A variable is <c>NAME: value</c>, or <c>NAME: {secret: value}</c> to say in
/// the file that the value is a secret (every value is handled as one anyway). <c>envFrom</c> names env files on the
/// hosts: <c>{file: /etc/bollard/web.env}</c>, or a list of them. No message ever quotes a value.
/// </summary>
internal static partial class EnvSpecParser
{
    public static ServiceEnvironment Parse(YamlMappingReader yaml)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in yaml.Fields("env") ?? [])
        {
            if (!EnvName().IsMatch(name))
            {
                value.Error($"'{name}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }
            else if (name.StartsWith("BOLLARD_", StringComparison.Ordinal))
            {
                value.Error("names starting with BOLLARD_ are set by Bollard itself (BOLLARD_SERVICE, BOLLARD_VERSION, BOLLARD_ZONE, BOLLARD_HOST)");
            }

            if (ValueOf(value) is { } text)
            {
                values[name] = text;
            }
        }

        return ServiceEnvironment.Of(values, ParseFiles(yaml));
    }

    private static string? ValueOf(YamlValue value)
    {
        if (value.Text is { } text)
        {
            return text;
        }

        if (value.Mapping is { } mapping)
        {
            var secret = mapping.Text("secret", required: true);
            mapping.RejectUnknownFields();
            return secret;
        }

        value.Error("must be a plain value (quote it if it contains ': '), or {secret: value}");
        return null;
    }

    private static List<string> ParseFiles(YamlMappingReader yaml)
    {
        var entries = yaml.HasMapping("envFrom")
            ? [yaml.Mapping("envFrom")!]
            : (yaml.Items("envFrom") ?? []).Select(item => item.Mapping ?? Invalid(item)).OfType<YamlMappingReader>().ToList();
        var files = new List<string>();
        foreach (var entry in entries)
        {
            var file = entry.Text("file", required: true);
            entry.RejectUnknownFields();
            if (file is null)
            {
                continue;
            }

            if (!Path.IsPathFullyQualified(file) || file.Any(char.IsControl))
            {
                entry.Error("file", $"must be an absolute path of a file on the hosts (e.g. /etc/bollard/web.env), got '{file}'");
            }
            else if (files.Contains(file, StringComparer.Ordinal))
            {
                entry.Error("file", $"'{file}' is listed twice");
            }
            else
            {
                files.Add(file);
            }
        }

        return files;

        static YamlMappingReader? Invalid(YamlValue item)
        {
            item.Error("must be {file: /path/to/file.env}");
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}

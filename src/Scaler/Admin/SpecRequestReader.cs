using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Reads the spec files of a validate/plan/apply request: YAML text (text/yaml, application/yaml; one or more
/// documents) or JSON <c>{"files":[{"name":"web.yaml","text":"..."}]}</c>. Bodies are bounded.
/// </summary>
internal static class SpecRequestReader
{
    public const string YamlFileName = "request.yaml";

    /// <exception cref="ControlPlaneException">The body is too large, empty or not in one of the two forms.</exception>
    public static async Task<IReadOnlyList<SpecFile>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(request, maxBytes, cancellationToken);
        var type = request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            SpecFilesRequest? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<SpecFilesRequest>(body, Json);
            }
            catch (JsonException e)
            {
                throw Malformed(e, "{\"files\":[{\"name\":\"web.yaml\",\"text\":\"...\"}]}");
            }

            var files = parsed?.Files?.Where(f => f is not null).ToList() ?? [];
            if (files.Count == 0 || files.Any(f => string.IsNullOrEmpty(f.Name) || f.Text is null))
            {
                throw new ControlPlaneException(ControlPlaneError.Invalid, "the JSON body must hold at least one file, each with a 'name' and a 'text'");
            }

            return files;
        }

        if (type.Length > 0 && !type.Contains("yaml", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            throw new ControlPlaneException(ControlPlaneError.Invalid, $"unsupported content type '{type}': send text/yaml or application/json");
        }

        return body.Length == 0
            ? throw new ControlPlaneException(ControlPlaneError.Invalid, "the request body is empty: send one or more YAML spec documents")
            : [new SpecFile(YamlFileName, Encoding.UTF8.GetString(body))];
    }

    /// <summary>The options every JSON body of the API is read with: nesting is bounded (no request needs more than a few levels).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerOptions.Web) { MaxDepth = MaxJsonDepth };

    public const int MaxJsonDepth = 8;

    /// <summary>A JSON body's problem in words: too deep, or malformed.</summary>
    public static ControlPlaneException Malformed(JsonException e, string expected) =>
        new(ControlPlaneError.Invalid, e.Message.Contains("maximum configured depth", StringComparison.Ordinal)
            ? $"the JSON body is nested deeper than {MaxJsonDepth} levels; expected {expected}"
            : $"the JSON body is malformed ({e.Message}); expected {expected}", e);

    /// <exception cref="ControlPlaneException">The body is larger than <paramref name="maxBytes"/> (413).</exception>
    public static async Task<byte[]> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static ControlPlaneException TooLarge(int maxBytes) =>
        new(ControlPlaneError.TooLarge, $"the request body is larger than {maxBytes} bytes, the most the admin API takes");
}

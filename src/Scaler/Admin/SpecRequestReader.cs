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
                parsed = JsonSerializer.Deserialize<SpecFilesRequest>(body, JsonSerializerOptions.Web);
            }
            catch (JsonException e)
            {
                throw new ControlPlaneException(ControlPlaneError.Invalid, $"the JSON body is malformed ({e.Message}); expected {{\"files\":[{{\"name\":\"web.yaml\",\"text\":\"...\"}}]}}", e);
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

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
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

    private static ControlPlaneException TooLarge(int maxBytes) =>
        new(ControlPlaneError.Invalid, $"the request body is larger than {maxBytes} bytes");
}

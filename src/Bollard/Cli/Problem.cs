using System.Net;
using System.Text;
using System.Text.Json;

namespace Bollard.Cli;

/// <summary>Renders a problem-details answer for the terminal: the detail, then each located error on its own line.</summary>
internal static class Problem
{
    public static string Describe(HttpStatusCode status, string body)
    {
        var text = new StringBuilder($"bollard: the daemon refused the request ({(int)status})");
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("detail", out var detail))
            {
                text.Append(": ").Append(detail.GetString());
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    text.AppendLine().Append("  ").Append(error.TryGetProperty("text", out var line) ? line.GetString() : error.ToString());
                }
            }
        }
        catch (JsonException)
        {
            text.Append(": ").Append(body.Length > 200 ? body[..200] : body);
        }

        return text.ToString();
    }
}

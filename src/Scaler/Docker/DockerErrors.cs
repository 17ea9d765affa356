using System.Net.Sockets;
using System.Text.Json;
using Bollard.Scaler.Runtime;
using Docker.DotNet;

namespace Bollard.Scaler.Docker;

/// <summary>
/// Turns what Docker.DotNet throws into the runtime port's two exceptions, so that callers never see Docker.DotNet
/// types: transport failures mean the engine is unavailable, an API error means it answered and refused.
/// </summary>
internal static class DockerErrors
{
    /// <summary>Socket missing, connection refused or reset, a stream cut mid-answer, the client's own timeout.</summary>
    public static bool IsUnreachable(Exception e) => e switch
    {
        HttpRequestException or SocketException or IOException or TimeoutException => true,
        DockerApiException => false,
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    public static RuntimeUnavailableException Unreachable(string endpoint, string operation, Exception cause) =>
        new($"The Docker engine at {endpoint} cannot be reached ({operation}: {Describe(endpoint, cause)}); " +
            "check that dockerd runs and that this process may open its socket.", cause);

    public static RuntimeUnavailableException TimedOut(string endpoint, string operation, TimeSpan timeout) =>
        new($"The Docker engine at {endpoint} did not answer {operation} within {timeout.TotalSeconds:0.#} s; " +
            "check that dockerd runs and is not overloaded.");

    public static ContainerOperationException Refused(string endpoint, string operation, DockerApiException e) =>
        new($"The Docker engine at {endpoint} refused {operation}: {(int)e.StatusCode} {MessageOf(e)}", e);

    /// <summary>
    /// The socket errors of a unix endpoint are cryptic ("Cannot assign requested address" for a missing file), so
    /// a missing socket file is said plainly.
    /// </summary>
    private static string Describe(string endpoint, Exception cause)
    {
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == "unix" && !File.Exists(uri.LocalPath))
        {
            return $"the socket {uri.LocalPath} does not exist";
        }

        var inner = cause.GetBaseException();
        return inner == cause ? cause.Message : $"{cause.Message} {inner.Message}";
    }

    /// <summary>The engine's error body is <c>{"message":"..."}</c>; fall back to the raw body when it is not.</summary>
    public static string MessageOf(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        if (body.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not the engine's usual shape: the raw body below says more than nothing.
            }
        }

        return body.Length > 0 ? body : e.StatusCode.ToString();
    }
}

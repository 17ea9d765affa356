using System.Text;
using System.Text.Json;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>
/// The credentials of a registry, from a docker config file (<c>~/.docker/config.json</c>: the <c>auths</c> map that
/// <c>docker login</c> writes when no credential helper is set). The file is read at each pull, so a new login takes
/// effect without a restart. What it holds is never logged nor put in an error message: errors name the file and the
/// registry only. Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) are programs of the desktop's; they are
/// not run.
/// </summary>
internal sealed class RegistryCredentials(string? file)
{
    /// <summary>Docker Hub's names in a config file's <c>auths</c>, the one <c>docker login</c> writes first.</summary>
    private static readonly string[] DockerHubKeys = ["index.docker.io", "docker.io", "registry-1.docker.io"];

    /// <summary>The file, for messages; null when none is configured.</summary>
    public string? File => file;

    /// <summary>The credentials for <paramref name="registry"/> (as <see cref="ImageReferences.RegistryOf"/> names it);
    /// null when the file has none for it or no file is configured (the pull is then anonymous).</summary>
    /// <exception cref="ContainerOperationException">The file cannot be read or is not a docker config file.</exception>
    public AuthConfig? For(string registry)
    {
        if (file is null)
        {
            return null;
        }

        string text;
        try
        {
            text = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerOperationException($"the registry credentials file {file} cannot be read: {e.Message}");
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return Find(json.RootElement, registry);
        }
        catch (JsonException e)
        {
            // The parser's message may quote the file: only the position is said.
            throw new ContainerOperationException($"the registry credentials file {file} is not JSON (line {e.LineNumber + 1})");
        }
    }

    /// <summary>Why <paramref name="path"/> cannot serve as the credentials file; null when it can. For the check at start.</summary>
    public static string? Check(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(System.IO.File.ReadAllText(path));
            return json.RootElement.ValueKind == JsonValueKind.Object
                && (!json.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind == JsonValueKind.Object)
                ? null
                : $"{path} is not a docker config file (a JSON object whose 'auths' maps registries to credentials, as ~/.docker/config.json)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read: {e.Message}";
        }
        catch (JsonException e)
        {
            return $"{path} is not JSON (line {e.LineNumber + 1}); it must be a docker config file such as ~/.docker/config.json";
        }
    }

    /// <summary>The entry of <c>auths</c> for <paramref name="registry"/>, matched as Docker does: by host name, with or
    /// without a scheme and path (<c>https://registry.example.com/v1/</c> is <c>registry.example.com</c>).</summary>
    internal static AuthConfig? Find(JsonElement config, string registry)
    {
        if (config.ValueKind != JsonValueKind.Object || !config.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var wanted = registry == "docker.io" ? DockerHubKeys : [registry];
        foreach (var host in wanted)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                if (string.Equals(HostOf(entry.Name), host, StringComparison.OrdinalIgnoreCase) && ToAuthConfig(entry.Value, registry) is { } auth)
                {
                    return auth;
                }
            }
        }

        return null;
    }

    private static string HostOf(string key)
    {
        var name = key;
        foreach (var scheme in (string[])["https://", "http://"])
        {
            if (name.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                name = name[scheme.Length..];
                break;
            }
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? name[..slash] : name;
    }

    private static AuthConfig? ToAuthConfig(JsonElement entry, string registry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var auth = new AuthConfig
        {
            ServerAddress = registry == "docker.io" ? "https://index.docker.io/v1/" : registry,
            Username = Text(entry, "username"),
            Password = Text(entry, "password"),
            IdentityToken = Text(entry, "identitytoken"),
            RegistryToken = Text(entry, "registrytoken"),
        };
        if (Text(entry, "auth") is { Length: > 0 } encoded && Decode(encoded) is { } pair && pair.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
        {
            auth.Username = pair[..colon];
            auth.Password = pair[(colon + 1)..];
        }

        return auth.Username is null && auth.IdentityToken is null && auth.RegistryToken is null ? null : auth;
    }

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

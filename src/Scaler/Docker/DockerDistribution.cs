using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>
/// The engine's registry lookup, <c>GET /distribution/{name}/json</c>: the digest a tag names in its registry now,
/// asked through the engine (its network, its trust of registries) without downloading anything. Docker.DotNet does not
/// offer this call, so it is made here over the engine's own socket.
/// </summary>
internal sealed class DockerDistribution : IDisposable
{
    private readonly HttpClient _http;

    public DockerDistribution(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme == "unix")
        {
            var socket = endpoint.LocalPath;
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                        return new NetworkStream(unix, ownsSocket: true);
                    }
                    catch
                    {
                        unix.Dispose();
                        throw;
                    }
                },
            };
            _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout.InfiniteTimeSpan };
        }
        else
        {
            var scheme = endpoint.Scheme == "https" ? "https" : "http";
            _http = new HttpClient { BaseAddress = new UriBuilder(scheme, endpoint.Host, endpoint.Port).Uri, Timeout = Timeout.InfiniteTimeSpan };
        }
    }

    /// <summary>The manifest digest (<c>sha256:…</c>) <paramref name="reference"/> names in its registry now.</summary>
    /// <exception cref="DistributionException">The engine or the registry refused (no such image, not authorized...).</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    public async Task<string> DigestAsync(string reference, AuthConfig? auth, CancellationToken cancellationToken)
    {
        // The API version the engine here speaks (1.41): the call exists since 1.30.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1.41/distribution/{reference}/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (auth is not null)
        {
            request.Headers.Add("X-Registry-Auth", RegistryAuthHeader(auth));
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new DistributionException((int)response.StatusCode, MessageOf(body));
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("Descriptor", out var descriptor)
            && descriptor.TryGetProperty("digest", out var digest) && digest.GetString() is { Length: > 0 } text
            ? text
            : throw new DistributionException(200, "the engine's answer names no digest");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The engine's header form of credentials: base64url of the JSON (the field names as Docker's CLI sends them).</summary>
    private static string RegistryAuthHeader(AuthConfig auth)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
        {
            ["username"] = auth.Username,
            ["password"] = auth.Password,
            ["serveraddress"] = auth.ServerAddress,
            ["identitytoken"] = auth.IdentityToken,
            ["registrytoken"] = auth.RegistryToken,
        });
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    private static string MessageOf(string body)
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
            // Not the engine's usual shape.
        }

        return body.Trim() is { Length: > 0 } raw ? raw : "no message";
    }
}

/// <summary>The engine answered the registry lookup with an error (its status and message).</summary>
internal sealed class DistributionException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

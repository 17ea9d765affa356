using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Bollard.Discovery.Consul;

/// <summary>
/// The one place that speaks HTTP to Consul: adds the token and datacenter, bounds every call with a timeout, and
/// turns every failure into a <see cref="CatalogUnavailableException"/> whose message names the agent, the path and
/// Consul's own error text. The token travels only in a header, so no message or log line can contain it.
/// </summary>
internal sealed class ConsulHttpClient
{
    private const string TokenHeader = "X-Consul-Token";
    private const string IndexHeader = "X-Consul-Index";
    private const int MaxErrorTextLength = 300;

    private readonly HttpClient http;
    private readonly string? token;
    private readonly string? datacenter;
    private readonly TimeProvider timeProvider;

    public ConsulHttpClient(HttpClient http, ConsulOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        this.http = http;
        this.timeProvider = timeProvider;
        Options = options;
        token = options.ReadToken();
        datacenter = string.IsNullOrEmpty(options.Datacenter) ? null : options.Datacenter;
    }

    public ConsulOptions Options { get; }

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>Sends one request. <paramref name="query"/> is already escaped ("a=1&amp;b=2") or empty.</summary>
    /// <param name="datacenterScoped">Adds <c>dc=</c>; agent endpoints are local and must not get it.</param>
    /// <param name="notFoundIsAnswer">A 404 is a normal answer (a missing key or session), not a failure.</param>
    /// <param name="conflictIsAnswer">A 409 is a normal answer (a transaction that was rolled back), not a failure.</param>
    public async Task<ConsulResponse> SendAsync(
        HttpMethod method,
        string path,
        string query,
        HttpContent? body,
        CancellationToken cancellationToken,
        bool datacenterScoped = true,
        bool notFoundIsAnswer = false,
        TimeSpan? timeout = null,
        bool conflictIsAnswer = false)
    {
        var limit = timeout ?? Options.RequestTimeout;
        using var request = new HttpRequestMessage(method, BuildUri(path, query, datacenterScoped)) { Content = body };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
        }

        using var timeoutSource = new CancellationTokenSource(limit, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var response = await http.SendAsync(request, linked.Token).ConfigureAwait(false);
            var content = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode
                || (notFoundIsAnswer && response.StatusCode == HttpStatusCode.NotFound)
                || (conflictIsAnswer && response.StatusCode == HttpStatusCode.Conflict))
            {
                return new ConsulResponse(response.StatusCode, content, ReadIndex(response));
            }

            throw new CatalogUnavailableException(
                $"Consul at {Options.Address} answered {(int)response.StatusCode} {response.StatusCode} to {method} {path}: {ErrorText(content)}");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CatalogUnavailableException(
                $"Consul at {Options.Address} did not answer {method} {path} within {limit.TotalSeconds:0.###}s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new CatalogUnavailableException(
                $"Consul at {Options.Address} is unreachable ({method} {path}): {e.Message}", e);
        }
    }

    /// <summary>
    /// A JSON body with a Content-Length: some Consul handlers (session/create) read the body only when the length
    /// is known, and silently ignore a chunked one.
    /// </summary>
    public static HttpContent Json<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private Uri BuildUri(string path, string query, bool datacenterScoped)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        if (!string.IsNullOrEmpty(query))
        {
            builder.Append(separator).Append(query);
            separator = '&';
        }

        if (datacenterScoped && datacenter is not null)
        {
            builder.Append(separator).Append("dc=").Append(Uri.EscapeDataString(datacenter));
        }

        return new Uri(Options.Address, builder.ToString());
    }

    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues(IndexHeader, out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : 0;

    private static string ErrorText(byte[] content)
    {
        var text = Encoding.UTF8.GetString(content).Trim();
        if (text.Length == 0)
        {
            return "(no error text)";
        }

        return text.Length <= MaxErrorTextLength ? text : string.Concat(text.AsSpan(0, MaxErrorTextLength), "…");
    }
}

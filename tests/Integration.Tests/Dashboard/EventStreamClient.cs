using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>One server-sent event as read off the wire.</summary>
internal sealed record StreamEvent(long? Id, string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>A reader of <c>GET /v1/events</c> as a page does it (the token in the header), every read bounded in time.</summary>
internal sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private HttpResponseMessage? _response;
    private StreamReader? _reader;

    public HttpStatusCode Status => _response!.StatusCode;

    public string? ContentType => _response!.Content.Headers.ContentType?.MediaType;

    /// <summary>Every event read so far, in order.</summary>
    public List<StreamEvent> Seen { get; } = [];

    public static async Task<EventStreamClient> OpenAsync(Uri admin, string? token, string? lastEventId = null)
    {
        var client = new EventStreamClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(admin, "/v1/events"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        client._response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, wait.Token);
        client._reader = new StreamReader(await client._response.Content.ReadAsStreamAsync(wait.Token));
        return client;
    }

    public async Task<string> BodyAsync() => await _reader!.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>The next event (comments and a frame with no data, such as <c>retry:</c>, skipped).</summary>
    public async Task<StreamEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        long? id = null;
        string type = "message", data = "";
        while (true)
        {
            var line = await _reader!.ReadLineAsync(wait.Token) ?? throw new EndOfStreamException("the stream ended");
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var e = new StreamEvent(id, type, data);
                    Seen.Add(e);
                    return e;
                }

                (id, type) = (null, "message");
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id":
                    id = long.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data += value;
                    break;
            }
        }
    }

    /// <summary>Reads until an event matches, within the deadline; the events read meanwhile are in <see cref="Seen"/>.</summary>
    public async Task<StreamEvent> UntilAsync(Func<StreamEvent, bool> match, string what, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no event of {what} within {timeout.TotalSeconds} s; read: {string.Join(", ", Seen.TakeLast(20).Select(e => e.Type))}");
            }

            StreamEvent next;
            try
            {
                next = await NextAsync(left);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no event of {what} within {timeout.TotalSeconds} s; the last read: {string.Join("\n", Seen.TakeLast(8).Select(e => $"{e.Id} {e.Type} {e.Data[..Math.Min(e.Data.Length, 300)]}"))}");
            }

            if (match(next))
            {
                return next;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        _response?.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Bollard.Discovery.Tests.Consul;

/// <summary>An HttpMessageHandler that plays back scripted Consul answers in order and records what was asked.</summary>
internal sealed class ScriptedConsulHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> answers = new();

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    /// <summary>The request bodies, read as they arrive (the caller disposes its content afterwards).</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public ScriptedConsulHandler Then(HttpStatusCode status, string body, ulong? index = null)
    {
        answers.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (index is { } value)
            {
                response.Headers.Add("X-Consul-Index", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return response;
        });
        return this;
    }

    public ScriptedConsulHandler ThenHealthy(ulong index, params string[] ids) =>
        Then(HttpStatusCode.OK, "[" + string.Join(',', ids.Select(Entry)) + "]", index);

    public ScriptedConsulHandler ThenRefused() =>
        ThenThrow(new HttpRequestException("Connection refused (127.0.0.1:8500)"));

    public ScriptedConsulHandler ThenThrow(Exception exception)
    {
        answers.Enqueue(() => throw exception);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (request.Content is not null)
        {
            Bodies.Enqueue(await request.Content.ReadAsStringAsync(cancellationToken));
        }

        if (answers.TryDequeue(out var answer))
        {
            return answer();
        }

        // Past the script a query hangs like a blocking query with no change, until the caller gives up.
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    private static string Entry(string id) =>
        "{\"Node\":{\"Address\":\"10.0.0.9\"},\"Service\":{\"ID\":\"" + id
        + "\",\"Service\":\"web\",\"Address\":\"\",\"Port\":80,\"Meta\":{\"zone\":\"z1\",\"version\":\"v1\"}}}";
}

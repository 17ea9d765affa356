using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;

namespace Bollard.Balancer.Tests.TestDoubles;

/// <summary>Plays back scripted answers of Consul's KV list endpoint in order and records the queries.</summary>
internal sealed class ScriptedConsulKv : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _answers = new();

    public ConcurrentQueue<Uri> Queries { get; } = new();

    /// <summary>Answers with these entries (key, JSON value, modify index) at <paramref name="index"/>.</summary>
    public ScriptedConsulKv ThenEntries(ulong index, params (string Key, string Value, ulong ModifyIndex)[] entries)
    {
        var body = "[" + string.Join(',', entries.Select(e =>
            $"{{\"Key\":\"{e.Key}\",\"Value\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(e.Value))}\",\"ModifyIndex\":{e.ModifyIndex}}}")) + "]";
        return Then(HttpStatusCode.OK, body, index);
    }

    public ScriptedConsulKv ThenNotFound(ulong index) => Then(HttpStatusCode.NotFound, string.Empty, index);

    public ScriptedConsulKv ThenRefused()
    {
        _answers.Enqueue(() => throw new HttpRequestException("Connection refused (127.0.0.1:8500)"));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Queries.Enqueue(request.RequestUri!);
        if (_answers.TryDequeue(out var answer))
        {
            return answer();
        }

        // Past the script a query hangs like a blocking query with no change, until the caller gives up.
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    private ScriptedConsulKv Then(HttpStatusCode status, string body, ulong index)
    {
        _answers.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.Add("X-Consul-Index", index.ToString(CultureInfo.InvariantCulture));
            return response;
        });
        return this;
    }
}

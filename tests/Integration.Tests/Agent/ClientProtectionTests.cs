using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// Rate limits per route (per client address or per header value, 429 with Retry-After) and the listeners' limits on
/// header size, body size and slow clients, through the real agent.
/// </summary>
public sealed class ClientProtectionTests
{
    [Fact]
    public async Task A_route_limits_each_client_by_header_or_address_and_the_listeners_refuse_oversized_and_slow_requests()
    {
        var service = TestEnvironment.UniqueName("limit");
        await using var agent = new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(service) },
            extraConfig: "limits: {maxRequestHeadersBytes: 2048, maxRequestBodyBytes: 1000, requestHeadersTimeout: 1s}");
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), "the replica serving");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = agent.Balancer, Timeout = TimeSpan.FromSeconds(10) };

        // Client "a" has a bucket of 3: its first three pass, then it is told to come back later.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "a")).StatusCode);
        }

        var limited = await FirstLimitedAsync(http, "a");
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");

        // Another key is another client, with a full bucket; a request without the header is limited by its address.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "b")).StatusCode);
        await FirstLimitedAsync(http, key: null);

        var metrics = await http.GetStringAsync(new Uri(agent.Admin, "/metrics"));
        Assert.Contains($"bollard_balancer_rate_limited_requests_total{{service=\"{service}\"}}", metrics, StringComparison.Ordinal);

        // Headers over 2 KiB: 431; a body over 1000 bytes: 413 (neither reaches a replica).
        using (var big = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            big.Headers.Add("X-Api-Key", "c");
            big.Headers.Add("X-Padding", new string('p', 4096));
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await http.SendAsync(big)).StatusCode);
        }

        using (var body = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(new byte[2000]) })
        {
            body.Headers.Add("X-Api-Key", "d");
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(body)).StatusCode);
        }

        // A client that starts its headers and never finishes them is disconnected after requestHeadersTimeout (1 s),
        // long before Kestrel's default 30 s.
        using var slow = new TcpClient();
        await slow.ConnectAsync(agent.Listen);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: e\r\n"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.True(answer.Length == 0 || answer.ToString().StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"answer to a slow client: {answer}");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response;
    }

    /// <summary>Sends as this client until it is refused (1 request a second refills its bucket: it soon is).</summary>
    private static async Task<HttpResponseMessage> FirstLimitedAsync(HttpClient http, string? key)
    {
        for (var i = 0; i < 50; i++)
        {
            var response = await SendAsync(http, key);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        throw new Xunit.Sdk.XunitException($"client {key ?? "(by address)"} was never limited in 50 requests");
    }

    private static string Spec(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 1
        health: {"{"}interval: 500ms{"}"}
        route:
          pathPrefix: /
          rateLimit: {"{"}perSecond: 1, burst: 3, header: X-Api-Key{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

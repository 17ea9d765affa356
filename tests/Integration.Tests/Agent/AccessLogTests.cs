using System.Text.Json;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The real agent writes one line per proxied request to its listener's access log.</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task Each_request_is_one_json_line_with_its_service_replica_status_bytes_and_trace_id()
    {
        var service = TestEnvironment.UniqueName("alog");
        await using var agent = new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(service) },
            extraConfig: "accessLog: {file: access.log, format: json}");
        var file = Path.Combine(agent.Directory, "access.log");
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), "the replica serving");

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.Balancer, "/?probe=1"));
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var replica = JsonDocument.Parse(body).RootElement.GetProperty("replica").GetString();

        JsonElement line = default;
        await Eventually.TrueAsync(
            () =>
            {
                var found = File.Exists(file)
                    ? File.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("target").GetString() == "/?probe=1").ToList()
                    : [];
                line = found.FirstOrDefault();
                return Task.FromResult(found.Count == 1);
            },
            "the probe's line in the access log");

        Assert.Equal(service, line.GetProperty("service").GetString());
        Assert.Equal(200, line.GetProperty("status").GetInt32());
        Assert.Equal(body.Length, line.GetProperty("bytes").GetInt64());
        Assert.Equal("127.0.0.1", line.GetProperty("client").GetString());
        Assert.Equal("GET", line.GetProperty("method").GetString());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", line.GetProperty("traceId").GetString());
        Assert.Equal("zone-a", line.GetProperty("zone").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("version").GetString()));
        Assert.Contains(replica!, line.GetProperty("replica").GetString()!, StringComparison.Ordinal); // the instance id holds the container id
        Assert.Equal(0, line.GetProperty("retries").GetInt32());
        Assert.True(line.GetProperty("upstreamDuration").GetDouble() <= line.GetProperty("duration").GetDouble());
    }

    [Fact]
    public async Task Behind_trusted_proxies_the_client_is_the_first_untrusted_address_of_the_forwarded_chain()
    {
        var service = TestEnvironment.UniqueName("xff");
        await using var agent = new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(service) },
            extraConfig: "accessLog: {file: access.log}\ntrustedProxies: [127.0.0.1, 10.0.0.0/8]");
        var file = Path.Combine(agent.Directory, "access.log");
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), "the replica serving");

        using var http = new HttpClient();
        async Task SendAsync(string target, string header, string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(agent.Balancer, target));
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        // The leftmost entry is whatever the client wrote; the trusted load balancers (10.x) appended the rest.
        await SendAsync("/?xff=1", "X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.2");
        await SendAsync("/?fwd=1", "Forwarded", "for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.3");

        var clients = new Dictionary<string, string?>();
        await Eventually.TrueAsync(
            () =>
            {
                foreach (var line in File.Exists(file) ? File.ReadLines(file) : [])
                {
                    var entry = JsonDocument.Parse(line).RootElement;
                    clients[entry.GetProperty("target").GetString()!] = entry.GetProperty("client").GetString();
                }

                return Task.FromResult(clients.ContainsKey("/?xff=1") && clients.ContainsKey("/?fwd=1"));
            },
            "both probes in the access log");
        Assert.Equal("203.0.113.9", clients["/?xff=1"]);
        Assert.Equal("2001:db8::17", clients["/?fwd=1"]);
    }

    private static string Spec(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 1
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

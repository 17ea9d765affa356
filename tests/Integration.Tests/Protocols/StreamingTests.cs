using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bollard.SampleApp.Grpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>
/// Long-lived and streamed requests through the real agent: gRPC (unary with trailers and an error status, server and
/// bidirectional streams) over HTTPS with ALPN and over h2c, WebSockets (echo, then kept open while their replica
/// drains and closed cleanly at its drain timeout), and server-sent events that arrive as they are sent.
/// </summary>
public sealed class StreamingTests(StreamingTests.Agent agent) : IClassFixture<StreamingTests.Agent>
{
    [Fact]
    public async Task A_unary_grpc_call_passes_with_its_trailers_and_its_error_status()
    {
        using var channel = agent.HttpsChannel();
        var client = new Echo.EchoClient(channel);

        using var call = client.SayAsync(new EchoRequest { Message = "hello" });
        var reply = await call.ResponseAsync;
        var failure = await Assert.ThrowsAsync<RpcException>(async () => await client.SayAsync(new EchoRequest { Message = "fail" }));

        Assert.Equal("hello", reply.Message);
        Assert.Equal(reply.Replica, call.GetTrailers().GetValue("x-replica"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, failure.StatusCode);
        Assert.Equal("asked to fail", failure.Status.Detail);
        Assert.False(string.IsNullOrEmpty(failure.Trailers.GetValue("x-replica")));
    }

    [Fact]
    public async Task Grpc_passes_over_an_h2c_listener_too()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{agent.Port("h2c")}");

        var reply = await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Message = "cleartext" });

        Assert.Equal("cleartext", reply.Message);
    }

    [Fact]
    public async Task A_server_stream_reaches_the_client_message_by_message_never_buffered()
    {
        using var channel = agent.HttpsChannel();
        var client = new Echo.EchoClient(channel);

        // The replica sends "1" at once and "2" only 60 s later: the first must arrive long before that.
        using var slow = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var call = client.Count(new CountRequest { Count = 2, IntervalMs = 60_000 }, cancellationToken: slow.Token);
        Assert.True(await call.ResponseStream.MoveNext(slow.Token), "the first message of the stream did not arrive");
        Assert.Equal("1", call.ResponseStream.Current.Message);
        await slow.CancelAsync();

        using var quick = client.Count(new CountRequest { Count = 5, IntervalMs = 10 });
        var messages = new List<string>();
        await foreach (var reply in quick.ResponseStream.ReadAllAsync())
        {
            messages.Add(reply.Message);
        }

        Assert.Equal(["1", "2", "3", "4", "5"], messages);
        Assert.Equal(StatusCode.OK, quick.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_bidirectional_stream_echoes_each_message_as_it_is_sent()
    {
        using var channel = agent.HttpsChannel();
        using var call = new Echo.EchoClient(channel).Chat();

        foreach (var message in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Message = message });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(message, call.ResponseStream.Current.Message);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_sent_events_arrive_as_they_are_sent()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Two events, 60 s apart: the first must come through while the replica still holds the stream open.
        using var response = await http.GetAsync(
            new Uri($"http://127.0.0.1:{agent.Port("http")}/sample/sse?count=2&intervalMs=60000"), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith("data:", StringComparison.Ordinal));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(line);
        Assert.EndsWith(" 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_echoes_stays_open_while_its_replica_drains_and_is_closed_cleanly_at_the_drain_timeout()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{agent.Port("http")}/sample/ws"), CancellationToken.None);
        Assert.Equal("hello", await EchoAsync(socket, "hello"));

        // A new version replaces the socket's replica: it leaves routing, then drains.
        using var admin = agent.AdminClient();
        var started = Stopwatch.StartNew();
        using (var rollout = await admin.PostAsJsonAsync("v1/services/web/rollout", new { image = $"{TestEnvironment.SampleImage}:v2" }))
        {
            Assert.True(rollout.IsSuccessStatusCode, await rollout.Content.ReadAsStringAsync());
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () => JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{agent.Port("http")}/orders/1"))).RootElement.GetProperty("version").GetString() == "v2"
                && JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{agent.Port("http")}/orders/2"))).RootElement.GetProperty("version").GetString() == "v2",
            "new requests answered by v2 only");

        // Out of routing, the old replica still carries its socket.
        Assert.Equal("still here", await EchoAsync(socket, "still here"));

        // At the drain timeout it is stopped, and closes its socket with a close handshake that reaches the client.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        Assert.Equal("replica stopping", socket.CloseStatusDescription);
        Assert.True(started.Elapsed >= Agent.DrainTimeout, $"closed {started.Elapsed.TotalSeconds:0.0} s after the rollout started, before the drain timeout ({Agent.DrainTimeout.TotalSeconds} s)");
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    public sealed class Agent : IAsyncLifetime
    {
        /// <summary>Long enough for the test to see the drained replica still carrying its socket after it left routing.</summary>
        public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

        private ProtocolAgent? _agent;

        public TestCertificates Certificates { get; } = new(Path.Combine(Path.GetTempPath(), TestEnvironment.UniqueName("certs")));

        public int Port(string name) => _agent!.Port(name);

        public HttpClient AdminClient() => _agent!.AdminClient("admin");

        /// <summary>A gRPC channel to the HTTPS listener (HTTP/2 by ALPN), trusting the test CA.</summary>
        public GrpcChannel HttpsChannel() =>
            GrpcChannel.ForAddress($"https://127.0.0.1:{Port("https")}", new GrpcChannelOptions { HttpHandler = Certificates.Handler(), DisposeHttpClient = true });

        public async Task InitializeAsync()
        {
            var server = Certificates.Server("server", "grpc.test");
            _agent = new ProtocolAgent(
                $"""
                listeners:
                  - {"{"}address: "127.0.0.1:{"{"}port:http{"}"}"{"}"}
                  - {"{"}address: "127.0.0.1:{"{"}port:h2c{"}"}", protocols: [http2]{"}"}
                  - address: "127.0.0.1:{"{"}port:https{"}"}"
                    scheme: https
                    certificates: [{"{"}certFile: "{server.CertFile}", keyFile: "{server.KeyFile}"{"}"}]
                admin: "127.0.0.1:{"{"}port:admin{"}"}"
                """,
                new Dictionary<string, string>
                {
                    ["echo.yaml"] = """
                        name: echo
                        image: {image}:v1
                        port: 8080
                        replicas: 1
                        health: {interval: 500ms}
                        route:
                          pathPrefix: /bollard.sample.Echo
                          protocol: grpc
                        drainTimeout: 1s
                        stopGracePeriod: 2s
                        """,
                    ["web.yaml"] = $"""
                        name: web
                        image: {"{"}image{"}"}:v1
                        port: 8080
                        replicas: 1
                        health: {"{"}interval: 500ms{"}"}
                        route:
                          pathPrefix: /
                        drainTimeout: {DrainTimeout.TotalSeconds}s
                        stopGracePeriod: 5s
                        """,
                });
            await _agent.StartAsync();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
            await ProtocolAgent.WaitServedAsync(http, new Uri($"http://127.0.0.1:{Port("http")}/orders/1"));
            using var channel = HttpsChannel();
            await Eventually.TrueAsync(
                async () => (await new Echo.EchoClient(channel).SayAsync(new EchoRequest { Message = "up" }, deadline: DateTime.UtcNow.AddSeconds(5))).Message == "up",
                "the gRPC service answering through the balancer",
                TimeSpan.FromSeconds(120));
        }

        public async Task DisposeAsync()
        {
            if (_agent is not null)
            {
                await _agent.DisposeAsync();
            }

            Certificates.Dispose();
            Directory.Delete(Certificates.Directory, recursive: true);
        }
    }
}

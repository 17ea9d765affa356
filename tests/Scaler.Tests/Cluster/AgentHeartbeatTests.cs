using System.Collections.Concurrent;
using System.Net;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Cluster;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bollard.Scaler.Tests.Cluster;

/// <summary>The liveness heartbeat on virtual time against a scripted Consul agent.</summary>
public sealed class AgentHeartbeatTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConsulAgentStub _consul = new();
    private readonly HttpClient _http;
    private readonly AgentHeartbeat _heartbeat;

    public AgentHeartbeatTests()
    {
        _http = new HttpClient(_consul) { Timeout = Timeout.InfiniteTimeSpan };
        var checks = new ConsulTtlCheck(_http, new ConsulOptions(), _time);
        _heartbeat = new AgentHeartbeat(
            checks,
            Options.Create(new ScalerOptions { Cluster = "prod", HostName = "h1", Zone = "zone-a" }),
            Options.Create(new ClusterOptions { Agent = "web-07/1a2b3c4d" }),
            new LoopHealth(_time, () => 0.5),
            _time,
            NullLogger<AgentHeartbeat>.Instance);
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task It_registers_its_check_then_passes_it_every_second_and_registers_again_after_a_failure()
    {
        _consul.FailNextPass = true;
        await _heartbeat.StartAsync(CancellationToken.None);
        await WaitForAsync(() => _consul.Paths.Count == 1);

        // Registered with a TTL check of its own, on a service of its own (an id Consul takes in a path as is).
        Assert.Equal("/v1/agent/service/register", _consul.Paths.Single());
        Assert.Contains("\"TTL\":\"3s\"", _consul.Bodies.Single(), StringComparison.Ordinal);
        Assert.Equal("bollard-agent:prod:web-07-1a2b3c4d", _heartbeat.ServiceId);
        Assert.Equal(["serfHealth", "bollard-agent:prod:web-07-1a2b3c4d:alive"], _heartbeat.SessionChecks);

        // Not ready for sessions until a pass after the registration (the catalog has the check by then).
        Assert.False(_heartbeat.Registered.IsCompleted);
        await BeatAsync(2); // the pass fails
        Assert.False(_heartbeat.Registered.IsCompleted);
        await BeatAsync(3); // so it registers again
        await BeatAsync(4); // and passes
        Assert.True(_heartbeat.Registered.IsCompleted);
        Assert.NotNull(_heartbeat.LastPass);

        Assert.Equal(
            ["register", "pass", "register", "pass"],
            _consul.Paths.Select(p => p.Contains("/pass/", StringComparison.Ordinal) ? "pass" : "register"));

        await _heartbeat.StopAsync(CancellationToken.None);
        Assert.Equal("/v1/agent/service/deregister/bollard-agent%3Aprod%3Aweb-07-1a2b3c4d", _consul.Paths.Last());
    }

    private async Task BeatAsync(int requests)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => _consul.Paths.Count >= requests);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    /// <summary>Answers every call with 200, except the next check pass when asked to fail it.</summary>
    private sealed class ConsulAgentStub : HttpMessageHandler
    {
        public ConcurrentQueue<string> Bodies { get; } = new();

        public List<string> Paths => [.. _paths];

        public volatile bool FailNextPass;

        private readonly ConcurrentQueue<string> _paths = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                Bodies.Enqueue(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            var path = request.RequestUri!.AbsolutePath;
            var fail = path.Contains("/pass/", StringComparison.Ordinal) && FailNextPass;
            FailNextPass &= !fail;
            _paths.Enqueue(request.RequestUri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped));
            return new HttpResponseMessage(fail ? HttpStatusCode.InternalServerError : HttpStatusCode.OK) { Content = new StringContent(fail ? "CheckID does not have associated TTL" : "") };
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Bollard.Balancer.Draining;
using Bollard.Balancer.Metrics;
using Bollard.Balancer.Routing;
using Bollard.Balancer.Tests.TestDoubles;
using Bollard.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bollard.Balancer.Tests.Retries;

/// <summary>
/// Retries, ejection, shedding, draining and the traffic window through the real pipeline (AddBalancer +
/// MapBalancer on Kestrel, 127.0.0.1) in front of real backends; only the catalog is a fake.
/// </summary>
public sealed class ResilienceEndToEndTests : IAsyncLifetime
{
    private readonly FakeServiceCatalog _catalog = new();
    private readonly BalancerMetrics _metrics = new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false });
    private readonly List<WebApplication> _apps = [];
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _balancer = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IServiceCatalog>(_catalog);
        builder.Services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource(
        [
            new ServiceRoute("web", null, "/web"),
            new ServiceRoute("slow", null, "/slow") { MaxConcurrentRequests = 1 },
            new ServiceRoute("late", null, "/late") { Timeout = TimeSpan.FromMilliseconds(300) },
        ]));
        builder.Services.AddSingleton(_metrics);
        builder.Services.AddBalancer(o =>
        {
            o.RoutingDebounce = TimeSpan.FromMilliseconds(5);
            o.ActiveHealthChecks.Enabled = false;
            o.OutlierDetection.ConsecutiveFailures = 3;
            o.Retries.MinRetriesPerSecond = 1000;
        });
        _balancer = builder.Build();
        _balancer.MapBalancer();
        await StartAsync(_balancer);
        _client.BaseAddress = new Uri(_balancer.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _client.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replica_that_refuses_connections_costs_no_request_of_any_method()
    {
        var good = await StartBackendAsync("good", _ => StatusCodes.Status200OK);
        _catalog.Push("web", Instance("dead", ClosedPort()), Instance("good", good));
        await WaitRoutedAsync("/web/", 2);

        for (var i = 0; i < 40; i++)
        {
            using var response = await _client.PostAsync(new Uri("/web/x", UriKind.Relative), new StringContent("payload"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good /web/x payload", await response.Content.ReadAsStringAsync());
        }

        Assert.True(_metrics.Retries("web", "connect") >= 1);
    }

    [Fact]
    public async Task An_idempotent_request_answered_503_is_sent_to_another_replica_body_included()
    {
        var busy = await StartBackendAsync("busy", _ => StatusCodes.Status503ServiceUnavailable);
        var good = await StartBackendAsync("good", _ => StatusCodes.Status200OK);
        _catalog.Push("web", Instance("busy", busy), Instance("good", good));
        await WaitRoutedAsync("/web/", 2);

        for (var i = 0; i < 20; i++)
        {
            using var response = await _client.PutAsync(new Uri("/web/p", UriKind.Relative), new StringContent("body"));
            Assert.Equal("good /web/p body", await response.Content.ReadAsStringAsync());
        }

        Assert.True(_metrics.Retries("web", "unavailable") >= 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_replica_dying_after_its_headers_costs_no_idempotent_request(bool lengthKnown)
    {
        // As a SIGKILL between the headers and the end of the body. The pause is part of the replica's behaviour, not
        // a wait: it lets a balancer that streams pass the first bytes on, so that its client sees a broken response.
        var dying = await StartBackendAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = lengthKnown ? 100 : null;
            await context.Response.WriteAsync("{\"partial\":");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            context.Abort();
        });
        var good = await StartBackendAsync("good", _ => StatusCodes.Status200OK);
        _catalog.Push("web", Instance("dying", dying), Instance("good", good));
        await WaitRoutedAsync("/web/", 2);

        for (var i = 0; i < 20; i++)
        {
            using var response = await _client.GetAsync(new Uri("/web/d", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("good /web/d", await response.Content.ReadAsStringAsync());
        }

        Assert.True(_metrics.Retries("web", "connection") >= 1);
    }

    [Theory]
    [InlineData(1024 * 1024, null)]
    [InlineData(null, "text/event-stream")]
    public async Task A_large_or_streaming_response_reaches_the_client_before_the_replica_finishes_it(int? length, string? type)
    {
        var streaming = await StartBackendAsync(async context =>
        {
            context.Response.ContentLength = length;
            context.Response.ContentType = type ?? "application/octet-stream";
            await context.Response.Body.WriteAsync(new byte[1024]);
            await context.Response.Body.FlushAsync();
            await _release.Task;
            await context.Response.Body.WriteAsync(new byte[(length ?? 2048) - 1024]);
        });
        _catalog.Push("web", Instance("streaming", streaming));
        await WaitRoutedAsync("/web/", 1);

        using var response = await _client.GetAsync(new Uri("/web/s", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        _release.SetResult();

        Assert.Equal(length ?? 2048, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_replica_slower_than_its_route_timeout_gets_a_504_in_that_time()
    {
        var late = await StartBackendAsync("late", _ => StatusCodes.Status200OK, hold: true);
        _catalog.Push("late", Instance("late-1", late) with { Service = "late" });
        await WaitRoutedAsync("/late/", 1);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await _client.GetAsync(new Uri("/late/x", UriKind.Relative));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        // 300 ms, not the default 100 s; the bound leaves room for a loaded machine.
        Assert.InRange(System.Diagnostics.Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_replica_answering_500_is_ejected_and_the_traffic_window_sees_it()
    {
        var broken = await StartBackendAsync("broken", _ => StatusCodes.Status500InternalServerError);
        var good = await StartBackendAsync("good", _ => StatusCodes.Status200OK);
        _catalog.Push("web", Instance("broken", broken, "v2"), Instance("good", good, "v1"));
        await WaitRoutedAsync("/web/", 2);

        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await _client.GetAsync(new Uri("/web/e", UriKind.Relative));
                return _metrics.Ejections("web") >= 1;
            },
            "the broken replica is ejected");
        var consecutive = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await _client.GetAsync(new Uri("/web/e", UriKind.Relative));
                consecutive = response.StatusCode == HttpStatusCode.OK ? consecutive + 1 : 0;
                return consecutive >= 20;
            },
            "only the good replica answers");

        var window = _balancer.Services.GetRequiredService<ITrafficWindow>();
        await Eventually.TrueAsync(
            () => window.Read("web", "v2", TimeSpan.FromSeconds(60)).Errors >= 3 && window.Read("web", "v1", TimeSpan.FromSeconds(60)).Requests >= 20,
            "the window counts both versions (once their second is complete)");
        Assert.Equal(["v1", "v2"], window.VersionsOf("web"));
        Assert.Equal(1, window.Read("web", "v2", TimeSpan.FromSeconds(60)).ErrorRate);
    }

    [Fact]
    public async Task Above_the_concurrency_limit_requests_are_shed_at_once_and_a_drain_waits_for_the_held_one()
    {
        var slow = await StartBackendAsync("slow", _ => StatusCodes.Status200OK, hold: true);
        _catalog.Push("slow", Instance("slow-1", slow) with { Service = "slow" });
        var monitor = _balancer.Services.GetRequiredService<IDrainMonitor>();
        await WaitRoutedAsync("/slow/", 1);

        var held = _client.GetAsync(new Uri("/slow/held", UriKind.Relative));
        await Eventually.TrueAsync(() => monitor.InFlight("slow-1") == 1, "one request held by the replica");

        using (var shed = await _client.GetAsync(new Uri("/slow/more", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
            Assert.Equal("1", shed.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(1, _metrics.ShedCount("slow"));

        _catalog.Push("slow");
        var drained = monitor.WaitUntilDrainedAsync("slow-1", TimeSpan.FromSeconds(30), CancellationToken.None);
        await Eventually.TrueAsync(
            () => _balancer.Services.GetRequiredService<SnapshotProxyConfigProvider>().Snapshot.Find("slow")?.Destinations.Length == 0,
            "the replica is out of routing");
        Assert.False(drained.IsCompleted);
        _release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.True(await drained);
    }

    private static ServiceInstance Instance(string id, int port, string version = "v1") =>
        new(id, "web", "127.0.0.1", port, "zone-a", version);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitRoutedAsync(string path, int destinations) =>
        await Eventually.TrueAsync(
            () => _balancer.Services.GetRequiredService<SnapshotProxyConfigProvider>().Snapshot.Services.Any(s => s.Destinations.Length == destinations),
            $"{destinations} destinations routed for {path}");

    /// <summary>A real backend answering "name path body" with the given status.</summary>
    private Task<int> StartBackendAsync(string name, Func<HttpContext, int> status, bool hold = false) =>
        StartBackendAsync(async context =>
        {
            if (hold)
            {
                await _release.Task;
            }

            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            context.Response.StatusCode = status(context);
            await context.Response.WriteAsync($"{name} {context.Request.Path}{(body.Length > 0 ? " " + body : "")}");
        });

    /// <summary>A real backend on 127.0.0.1 answering every request with <paramref name="answer"/>.</summary>
    private async Task<int> StartBackendAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(answer);
        await StartAsync(app);
        return new Uri(app.Urls.Single()).Port;
    }

    private async Task StartAsync(WebApplication app)
    {
        _apps.Add(app);
        await app.StartAsync();
    }
}

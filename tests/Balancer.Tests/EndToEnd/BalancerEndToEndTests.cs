using System.Net;
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

namespace Bollard.Balancer.Tests.EndToEnd;

/// <summary>
/// The balancer as the host composes it (AddBalancer + MapBalancer on real Kestrel, 127.0.0.1, port 0) in front
/// of two real backends that answer "&lt;name&gt; &lt;path&gt;"; only the catalog is a fake the test feeds.
/// </summary>
public sealed class BalancerEndToEndTests : IAsyncLifetime
{
    private readonly FakeServiceCatalog _catalog = new();
    private readonly BalancerMetrics _metrics = new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false });
    private readonly List<WebApplication> _apps = [];
    private ServiceInstance _one = null!;
    private ServiceInstance _two = null!;

    public async Task InitializeAsync()
    {
        _one = new ServiceInstance("web-one", "web", "127.0.0.1", await StartBackendAsync("one"), "zone-a", "v1");
        _two = new ServiceInstance("web-two", "web", "127.0.0.1", await StartBackendAsync("two"), "zone-b", "v2");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IServiceCatalog>(_catalog);
        builder.Services.AddSingleton<IServiceRouteSource>(new InMemoryServiceRouteSource(
        [
            new ServiceRoute("web", null, "/web"),
            new ServiceRoute("empty", null, "/empty"),
            new ServiceRoute("hosted", "svc.test", null),
        ]));
        builder.Services.AddSingleton(_metrics);
        builder.Services.AddBalancer(o => o.RoutingDebounce = TimeSpan.FromMilliseconds(5));

        var balancer = builder.Build();
        balancer.MapBalancer();
        await StartAsync(balancer);
        _client.BaseAddress = new Uri(balancer.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Traffic_reaches_every_healthy_replica_and_stops_reaching_a_removed_one()
    {
        _catalog.Push("web", _one, _two);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.TrueAsync(
            async () =>
            {
                var (status, body) = await GetAsync("/web/hello");
                if (status == HttpStatusCode.OK)
                {
                    // The path reaches the replica unchanged.
                    Assert.EndsWith(" /web/hello", body, StringComparison.Ordinal);
                    seen.Add(body.Split(' ')[0]);
                }

                return seen.SetEquals(["one", "two"]);
            },
            "both replicas have answered");

        _catalog.Push("web", _one);

        var consecutive = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                consecutive = (await GetAsync("/web/x")).Body.StartsWith("one ", StringComparison.Ordinal) ? consecutive + 1 : 0;
                return consecutive >= 20;
            },
            "only the remaining replica answers");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "one /web/x"), await GetAsync("/web/x"));
        }

        // Recorded when the balancer finishes a response, which may be a moment after the client has read it.
        await Eventually.TrueAsync(
            () => _metrics.RequestCount("web", "v1", "zone-a", "2xx") >= 40
                && _metrics.RequestCount("web", "v2", "zone-b", "2xx") >= 1
                && _metrics.DurationCount("web", "v1") >= 40,
            "requests are counted per version and zone");
        await Eventually.TrueAsync(() => _metrics.InFlight("web") == 0, "no request is in flight");
    }

    [Fact]
    public async Task Routes_match_by_prefix_and_host_and_a_service_without_replicas_answers_503()
    {
        _catalog.Push("web", _one);
        _catalog.Push("hosted", _two with { Id = "hosted-two", Service = "hosted" });
        _catalog.Push("empty");

        await Eventually.TrueAsync(async () => (await GetAsync("/web")).Status == HttpStatusCode.OK, "web is routed");
        await Eventually.TrueAsync(async () => (await GetAsync("/empty/x")).Status == HttpStatusCode.ServiceUnavailable, "empty answers 503");
        await Eventually.TrueAsync(async () => (await GetAsync("/web/x", "svc.test")).Body == "two /web/x", "hosted is routed by host");

        Assert.Equal((HttpStatusCode.OK, "one /web"), await GetAsync("/web"));
        Assert.Equal((HttpStatusCode.OK, "one /web/a/b"), await GetAsync("/web/a/b?q=1"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/webx")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/nothing")).Status);

        // A host route outranks a path-only route, and the host matches whatever the port.
        Assert.Equal((HttpStatusCode.OK, "two /web/a"), await GetAsync("/web/a", "SVC.test"));

        await Eventually.TrueAsync(
            () => _metrics.RequestCount("empty", BalancerMetrics.None, BalancerMetrics.None, "5xx") >= 1,
            "the 503 is counted with version none");
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A minimal real backend on a free loopback port; returns the port.</summary>
    private async Task<int> StartBackendAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"{name} {context.Request.Path}"));
        await StartAsync(app);
        return new Uri(app.Urls.Single()).Port;
    }

    private async Task StartAsync(WebApplication app)
    {
        _apps.Add(app);
        await app.StartAsync();
    }
}

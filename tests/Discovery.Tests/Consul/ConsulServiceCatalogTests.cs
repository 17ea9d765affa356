using System.Net;
using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

/// <summary>The Consul adapter's request shapes, error messages and watch loop, against scripted answers.</summary>
public sealed class ConsulServiceCatalogTests : IDisposable
{
    private const string Token = "s3cr3t-token-value";

    private readonly ScriptedConsulHandler consul = new();
    private readonly HttpClient http;

    public ConsulServiceCatalogTests()
    {
        http = new HttpClient(consul);
    }

    [Fact]
    public async Task GetHealthy_falls_back_to_the_node_address_and_reads_zone_and_version_from_meta()
    {
        consul.ThenHealthy(5, "web-1");

        var snapshot = await Catalog().GetHealthyAsync("web", default);

        Assert.Equal(new ServiceInstance("web-1", "web", "10.0.0.9", 80, "z1", "v1"), Assert.Single(snapshot.Instances));
        var request = Assert.Single(consul.Requests);
        Assert.Equal("/v1/health/service/web?passing=true&dc=dc2", request.RequestUri!.PathAndQuery);
        Assert.Equal(Token, Assert.Single(request.Headers.GetValues("X-Consul-Token")));
    }

    [Fact]
    public async Task Watch_blocks_on_the_last_index_resets_when_it_goes_backwards_and_yields_only_changes()
    {
        consul.ThenHealthy(5, "web-1")
            .ThenHealthy(6, "web-1")          // woke up, nothing visible changed: no yield
            .ThenHealthy(7, "web-1", "web-2")
            .ThenHealthy(3, "web-1", "web-2") // index went backwards: start over with a plain read
            .ThenHealthy(8, "web-2");
        using var stop = new CancellationTokenSource();

        var seen = await TakeAsync(Catalog().WatchHealthyAsync("web", stop.Token), 3);
        await stop.CancelAsync();

        Assert.Equal([["web-1"], ["web-1", "web-2"], ["web-2"]], seen);
        Assert.Equal(
            [
                "passing=true&dc=dc2",
                "passing=true&index=5&wait=60s&dc=dc2",
                "passing=true&index=6&wait=60s&dc=dc2",
                "passing=true&index=7&wait=60s&dc=dc2",
                "passing=true&dc=dc2",
            ],
            consul.Requests.Select(r => r.RequestUri!.Query.TrimStart('?')));
    }

    [Fact]
    public async Task Watch_survives_failures_and_keeps_its_index()
    {
        consul.ThenHealthy(5, "web-1")
            .ThenRefused()
            .Then(HttpStatusCode.InternalServerError, "rpc error: No cluster leader")
            .ThenHealthy(9, "web-2");
        using var stop = new CancellationTokenSource();

        var seen = await TakeAsync(Catalog().WatchHealthyAsync("web", stop.Token), 2);
        await stop.CancelAsync();

        Assert.Equal([["web-1"], ["web-2"]], seen);
        Assert.All(consul.Requests.Skip(1), r => Assert.Contains("index=5&", r.RequestUri!.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_answers_name_the_agent_path_status_and_Consuls_text_but_never_the_token()
    {
        consul.Then(HttpStatusCode.Forbidden, "Permission denied");

        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(() => Catalog().ListServicesAsync(default));

        Assert.Contains("http://consul.test:8500/", error.Message, StringComparison.Ordinal);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/catalog/services", error.Message, StringComparison.Ordinal);
        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_failures_become_CatalogUnavailableException()
    {
        consul.ThenRefused();

        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(
            () => Catalog().DeregisterAsync("web-1", default));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Register_sends_the_marker_tag_meta_and_an_http_check()
    {
        consul.Then(HttpStatusCode.OK, string.Empty);
        var registration = new ServiceRegistration("web-1", "web", "10.0.0.5", 8080, "z1", "v3", new HealthCheckRegistration(
            new Uri("http://10.0.0.5:8080/healthz"), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), InitiallyPassing: false, FailuresBeforeCritical: 3));

        await Catalog().RegisterAsync(registration, default);

        var request = Assert.Single(consul.Requests);
        Assert.Equal("/v1/agent/service/register", request.RequestUri!.PathAndQuery);
        var body = Assert.Single(consul.Bodies);
        Assert.Contains("\"ID\":\"web-1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"Tags\":[\"bollard\"]", body, StringComparison.Ordinal);
        Assert.Contains("\"Meta\":{\"zone\":\"z1\",\"version\":\"v3\"}", body, StringComparison.Ordinal);
        Assert.Contains(
            "\"Check\":{\"HTTP\":\"http://10.0.0.5:8080/healthz\",\"Interval\":\"5s\",\"Timeout\":\"2s\",\"DeregisterCriticalServiceAfter\":\"60s\",\"Status\":\"critical\",\"FailuresBeforeCritical\":3}",
            body,
            StringComparison.Ordinal);
    }

    public void Dispose() => http.Dispose();

    private ConsulServiceCatalog Catalog() => new(http, new ConsulOptions
    {
        Address = new Uri("http://consul.test:8500"),
        Token = Token,
        Datacenter = "dc2",
        MinQueryInterval = TimeSpan.FromMilliseconds(1),
        MaxRetryBackoff = TimeSpan.FromMilliseconds(1),
    });

    private static async Task<List<string[]>> TakeAsync(IAsyncEnumerable<ServiceSnapshot> watch, int count)
    {
        var seen = new List<string[]>();
        await foreach (var snapshot in watch)
        {
            seen.Add([.. snapshot.Instances.Select(i => i.Id)]);
            if (seen.Count == count)
            {
                break;
            }
        }

        return seen;
    }
}

using Bollard.Discovery;
using Bollard.Discovery.Consul;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>Nothing listens on port 1: every call fails fast with a message that says where Consul was expected.</summary>
public sealed class ConsulUnavailableTests : IDisposable
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:1");

    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task Reads_and_writes_throw_CatalogUnavailableException_naming_the_address()
    {
        var catalog = new ConsulServiceCatalog(http, new ConsulOptions { Address = Nowhere, Token = "not-to-be-printed" });

        var read = await Assert.ThrowsAsync<CatalogUnavailableException>(() => catalog.GetHealthyAsync("web", CancellationToken.None));
        var write = await Assert.ThrowsAsync<CatalogUnavailableException>(() => catalog.DeregisterAsync("web-1", CancellationToken.None));

        Assert.Contains("http://127.0.0.1:1/", read.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/health/service/web", read.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:1/", write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-to-be-printed", read.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KV_throws_CatalogUnavailableException_too()
    {
        var store = new ConsulKeyValueStore(http, new ConsulOptions { Address = Nowhere });

        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(() => store.GetAsync("bollard/x", CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => http.Dispose();
}

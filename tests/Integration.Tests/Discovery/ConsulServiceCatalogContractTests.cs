using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Tests.Contract;

namespace Bollard.IntegrationTests.Discovery;

/// <summary>The catalog contract against the real Consul agent; the agent runs the health checks itself.</summary>
public sealed class ConsulServiceCatalogContractTests : ServiceCatalogContractTests, IDisposable
{
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };

    protected override string NamePrefix => TestEnvironment.RunId;

    // Consul runs checks at most once a second.
    protected override TimeSpan CheckInterval => TimeSpan.FromSeconds(1);

    protected override Task<IServiceCatalog> CreateCatalogAsync() =>
        Task.FromResult<IServiceCatalog>(new ConsulServiceCatalog(http, ConsulTestOptions.Create()));

    public void Dispose() => http.Dispose();
}

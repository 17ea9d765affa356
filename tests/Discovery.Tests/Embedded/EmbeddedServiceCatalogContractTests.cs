using Bollard.Discovery.Embedded;
using Bollard.Discovery.Tests.Contract;

namespace Bollard.Discovery.Tests.Embedded;

/// <summary>The catalog contract against the embedded catalog, with real HTTP probes on real (short) intervals.</summary>
public sealed class EmbeddedServiceCatalogContractTests : ServiceCatalogContractTests, IDisposable
{
    private readonly HttpClient http = new();

    protected override string NamePrefix => "embedded";

    protected override Task<IServiceCatalog> CreateCatalogAsync() =>
        Task.FromResult<IServiceCatalog>(new EmbeddedServiceCatalog(new HttpHealthProber(http)));

    public void Dispose() => http.Dispose();
}

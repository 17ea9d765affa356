using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The endpoints of the admin listener, as mapped by <see cref="AdminApplicationBuilderExtensions.UseAdminApi"/>. The
/// admin branch has its own routing, so they are not among the host's endpoint data sources; this is where the tests
/// (and anything that lists the API) find every one of them, including endpoints added later.
/// </summary>
public sealed class AdminEndpointCatalog
{
    private volatile IReadOnlyList<EndpointDataSource> _sources = [];

    /// <summary>Every endpoint of the admin listener.</summary>
    public IReadOnlyList<Endpoint> Endpoints => [.. _sources.SelectMany(s => s.Endpoints)];

    internal void Publish(IEnumerable<EndpointDataSource> sources) => _sources = [.. sources];
}

using System.Net;

namespace Bollard.Discovery.Consul;

/// <summary>A 2xx (or an expected 404) answer of the Consul HTTP API.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The raw body.</param>
/// <param name="Index">The <c>X-Consul-Index</c> header; 0 when absent.</param>
internal sealed record ConsulResponse(HttpStatusCode Status, byte[] Body, ulong Index)
{
    public bool IsNotFound => Status == HttpStatusCode.NotFound;

    public bool IsConflict => Status == HttpStatusCode.Conflict;
}

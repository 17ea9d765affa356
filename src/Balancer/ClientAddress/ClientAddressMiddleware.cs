using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bollard.Balancer.ClientAddress;

/// <summary>
/// Puts the real client's address in <c>Connection.RemoteIpAddress</c> (and the scheme it used in <c>Request.Scheme</c>)
/// when the request came through trusted proxies, before rate limits, access logs and forwarding read them. YARP then
/// sends the replica <c>X-Forwarded-For: &lt;client&gt;</c> and <c>X-Forwarded-Proto</c> of its own (Set: the
/// incoming ones and <c>Forwarded</c> are replaced), so a replica never sees a chain a client forged.
/// Added only when <c>trustedProxies</c> is not empty.
/// </summary>
internal sealed class ClientAddressMiddleware(RequestDelegate next, IOptions<BalancerOptions> options)
{
    private const string XForwardedFor = "X-Forwarded-For";
    private const string XForwardedProto = "X-Forwarded-Proto";
    private const string Forwarded = "Forwarded";
    private readonly IReadOnlyList<IPNetwork> _trusted = [.. options.Value.TrustedProxies];

    public Task InvokeAsync(HttpContext context)
    {
        var connection = context.Connection;
        if (connection.RemoteIpAddress is { } peer && ClientAddressRules.IsTrusted(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer, _trusted))
        {
            var headers = context.Request.Headers;
            var chain = headers.TryGetValue(Forwarded, out var forwarded)
                ? ClientAddressRules.ForwardedFor(forwarded)
                : ClientAddressRules.XForwardedFor(headers[XForwardedFor]);
            connection.RemoteIpAddress = ClientAddressRules.Resolve(peer, chain, _trusted);
            // The proxy that terminated TLS says which scheme the client used (the last value is the nearest proxy's).
            var scheme = headers[XForwardedProto].LastOrDefault()?.Split(',')[^1].Trim();
            if (scheme is "https" or "http")
            {
                context.Request.Scheme = scheme;
            }
        }

        return next(context);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bollard.Balancer.Pipeline;

/// <summary>
/// The answer to a plain HTTP request of a route with <c>httpsRedirect</c>: 308 (permanent, and unlike 301 the method
/// and body are kept) to the same host, path and query on the agent's HTTPS listener. Not proxied, so not counted in
/// the service's metrics.
/// </summary>
internal static class HttpsRedirect
{
    public static void Answer(HttpContext context, int httpsPort)
    {
        var request = context.Request;
        var port = httpsPort == 443 ? "" : ":" + httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var location = string.Concat("https://", request.Host.Host, port, request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers[HeaderNames.Location] = location;
    }
}

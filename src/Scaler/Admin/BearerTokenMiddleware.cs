using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bollard.Scaler.Admin;

/// <summary>Lets a request through only with <c>Authorization: Bearer &lt;token&gt;</c>; otherwise 401 with
/// WWW-Authenticate: Bearer and a problem-details body that says what was missing.</summary>
internal sealed class BearerTokenMiddleware(RequestDelegate next, AdminToken token)
{
    private const string Scheme = "Bearer ";

    public Task InvokeAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        string? problem = header switch
        {
            "" => "no bearer token: send 'Authorization: Bearer <token>' with the token from the admin token file",
            _ when !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) => "the Authorization header must use the Bearer scheme",
            _ when !token.Matches(header[Scheme.Length..].Trim()) => "the bearer token is not the admin token of this daemon",
            _ => null,
        };
        if (problem is null)
        {
            return next(context);
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"bollard\"";
        return AdminProblems.Unauthorized(problem).ExecuteAsync(context);
    }
}

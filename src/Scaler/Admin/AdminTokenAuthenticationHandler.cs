using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Authenticates a caller of the admin API by <c>Authorization: Bearer &lt;token&gt;</c> (compared in constant time by
/// <see cref="AdminToken"/>). Its challenge is a 401 problem+json with <c>WWW-Authenticate: Bearer</c> that says what was
/// missing or wrong. Which endpoints need it is decided where each is declared (see <see cref="AdminApi.MapAdminApi"/>),
/// never by the spelling of a path.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    AdminToken token,
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly ClaimsPrincipal Operator = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-token")], AdminAuthentication.Scheme));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var problem = AdminTokenCheck.Problem(Request.Headers.Authorization.ToString(), token);
        return Task.FromResult(problem is null
            ? AuthenticateResult.Success(new AuthenticationTicket(Operator, AdminAuthentication.Scheme))
            : AuthenticateResult.Fail(problem));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var problem = AdminTokenCheck.Problem(Request.Headers.Authorization.ToString(), token) ?? "the bearer token was not accepted";
        Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"bollard\"";
        return AdminProblems.Unauthorized(problem).ExecuteAsync(Context);
    }
}

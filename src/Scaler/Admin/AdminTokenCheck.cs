namespace Bollard.Scaler.Admin;

/// <summary>
/// What is wrong with a request's Authorization header, if anything: the one decision behind the admin API's 401s,
/// kept pure so that the authentication handler and its challenge say the same thing.
/// </summary>
internal static class AdminTokenCheck
{
    private const string Scheme = "Bearer ";

    /// <summary>Null when the header carries the admin token; otherwise what to tell the caller (never the token).</summary>
    public static string? Problem(string header, AdminToken token) => header switch
    {
        "" => "no bearer token: send 'Authorization: Bearer <token>' with the token from the admin token file",
        _ when !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) => "the Authorization header must use the Bearer scheme",
        _ when !token.Matches(header[Scheme.Length..].Trim()) => "the bearer token is not the admin token of this daemon",
        _ => null,
    };
}

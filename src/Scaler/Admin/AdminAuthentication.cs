namespace Bollard.Scaler.Admin;

/// <summary>
/// The names the admin API's authentication and authorization are registered under: one scheme (the bearer token of
/// <see cref="AdminToken"/>) and one policy that every admin endpoint carries unless it is declared public.
/// </summary>
public static class AdminAuthentication
{
    /// <summary>The authentication scheme of the admin token.</summary>
    public const string Scheme = "BollardAdminToken";

    /// <summary>The authorization policy of the admin endpoints: an authenticated caller of <see cref="Scheme"/>.</summary>
    public const string Policy = "BollardAdmin";
}

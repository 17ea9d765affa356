using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.LoadBalancing;

/// <summary>
/// The header and cookies that choose a version. Two cookies on purpose: the pin cookie is set by a person testing a
/// canary and wins whatever the weights; the sticky cookie is set by the balancer and holds only while its version
/// keeps a weight above zero, so a rolled-back canary loses its sticky clients at once.
/// </summary>
internal static class VersionCookie
{
    /// <summary>Request header that pins a request to a version.</summary>
    public const string PinHeader = "X-Bollard-Version";

    /// <summary>Cookie that pins a client to a version (set by hand).</summary>
    public const string PinCookie = "bollard-version";

    /// <summary>Cookie the balancer sets when <see cref="BalancerOptions.StickyVersions"/> is on.</summary>
    public const string StickyCookie = "bollard-sticky";

    /// <summary>The value of cookie <paramref name="name"/> in the request's Cookie header(s), without allocating.</summary>
    public static bool TryFind(StringValues cookieHeaders, string name, out ReadOnlySpan<char> value)
    {
        for (var h = 0; h < cookieHeaders.Count; h++)
        {
            var rest = (cookieHeaders[h] ?? string.Empty).AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var pair = (end < 0 ? rest : rest[..end]).Trim();
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
                {
                    value = pair[(name.Length + 1)..].Trim('"');
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    /// <summary>The Set-Cookie header value for a sticky <paramref name="version"/>; null when it cannot be a cookie value.</summary>
    public static string? SetCookieFor(string version)
    {
        if (version.Length == 0)
        {
            return null;
        }

        foreach (var c in version)
        {
            // RFC 6265 cookie-octet: printable ASCII except space, '"', ',', ';' and '\'.
            if (c is <= ' ' or > '~' or '"' or ',' or ';' or '\\')
            {
                return null;
            }
        }

        return $"{StickyCookie}={version}; Path=/; HttpOnly; SameSite=Lax";
    }
}

using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Bollard.Dashboard;

/// <summary>
/// The dashboard's page, script and style sheet, embedded in the executable (no CDN, nothing fetched from elsewhere).
/// They hold no data and no secret: served without the token, so the sign-in form can load; everything the page
/// shows comes from the API with the token. A strict content security policy lets the page load only these files
/// and talk only to this listener.
/// </summary>
internal static class DashboardAssets
{
    public const string Prefix = "dashboard/";

    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, (byte[] Body, string Type, string ETag)> Files = Load();

    /// <summary>The names of the embedded files ("index.html", "app.js"...).</summary>
    public static IReadOnlyCollection<string> Names => Files.Keys;

    public static IResult Serve(string? asset, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(asset) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect($"{context.Request.PathBase}{context.Request.Path}/");
        }

        var name = string.IsNullOrEmpty(asset) ? "index.html" : asset;
        if (!Files.TryGetValue(name, out var file))
        {
            return TypedResults.NotFound($"no dashboard file '{name}'\n");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        return context.Request.Headers.IfNoneMatch == file.ETag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(file.Body, file.Type);
    }

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            var name = resource[Prefix.Length..];
            files[name] = (body, TypeOf(name), $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"");
        }

        // Routing matches paths whatever their case; so does the file name.
        return files.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

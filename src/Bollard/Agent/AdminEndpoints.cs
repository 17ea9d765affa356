namespace Bollard.Agent;

/// <summary>The admin listener's plain endpoints. Loopback by default; the token-protected admin API comes on top.</summary>
internal static class AdminEndpoints
{
    public static Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/healthz")
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok\n");
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync("not found: the admin listener serves /metrics and /healthz\n");
    }
}

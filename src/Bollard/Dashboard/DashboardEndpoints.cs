namespace Bollard.Dashboard;

/// <summary>The dashboard on the admin listener: its files under /ui/ and its event stream at /v1/events.</summary>
internal static class DashboardEndpoints
{
    /// <summary>
    /// Maps into the admin API's protected group. The files are public on purpose (a page, a script and a style sheet
    /// that carry no data: the sign-in form must load without the token); the event stream needs the token as every
    /// API endpoint does.
    /// </summary>
    public static void Map(RouteGroupBuilder admin)
    {
        // Also matches /ui itself (an empty catch-all), which Serve redirects to /ui/ so that relative paths resolve.
        admin.MapGet("/ui/{**asset}", (string? asset, HttpContext context) => DashboardAssets.Serve(asset, context)).AllowAnonymous().ExcludeFromDescription();
        admin.MapGet("/v1/events", EventStream.ServeAsync)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("The dashboard's live events (server-sent events; snapshot, service, replica, host, decision, traffic); resume with Last-Event-ID");
    }
}

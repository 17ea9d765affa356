using System.Net;
using Bollard.Scaler.Admin;

namespace Bollard.Agent;

/// <summary>The admin listener's plain endpoints (/healthz; /metrics is prometheus-net's) and its start-up checks.</summary>
internal static partial class AdminEndpoints
{
    public static Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/healthz")
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok\n");
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return context.Response.WriteAsync("not found: the admin listener serves /metrics, /healthz and the API under /v1 (see /v1/openapi.json)\n");
    }

    /// <summary>Sets up the token now, so that a problem stops the start and the CLI finds the file at once; warns
    /// when the admin listener is reachable from other hosts.</summary>
    /// <exception cref="AdminTokenException">The token file cannot be read or created.</exception>
    public static void Prepare(WebApplication app, AgentConfig config)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bollard.Agent.Admin");
        var token = app.Services.GetRequiredService<AdminToken>();
        LogToken(logger, token.File, token.Generated ? "generated now" : "read");
        if (!IPAddress.IsLoopback(config.Admin.Address))
        {
            LogNotLoopback(logger, config.Admin.ToString());
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Admin API token in {File} ({How})")]
    private static partial void LogToken(ILogger logger, string file, string how);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "The admin listener {Admin} is not on loopback: the admin API is reachable from other hosts, protected by its token only (plain HTTP)")]
    private static partial void LogNotLoopback(ILogger logger, string admin);
}

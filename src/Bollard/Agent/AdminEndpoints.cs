using System.Net;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Prometheus;

namespace Bollard.Agent;

/// <summary>The admin listener's own endpoints beside the API (/healthz, /metrics, the dashboard, the 404 for anything else) and its start-up checks.</summary>
internal static partial class AdminEndpoints
{
    /// <summary>
    /// Maps them into the admin API's protected group: /healthz and /metrics are public on purpose (probes and
    /// Prometheus scrape without the token, and they change nothing), and so are the dashboard's files (they carry no
    /// data; see <see cref="Dashboard.DashboardEndpoints"/>); the fallback, like the API, needs the token.
    /// </summary>
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/healthz", (HttpRequest request, LoopHealth health) => AgentHealth.Answer(request, health.Report())).AllowAnonymous().ExcludeFromDescription();
        admin.MapMetrics("/metrics").AllowAnonymous();
        Dashboard.DashboardEndpoints.Map(admin);
        // Every path, files too ({**path} rather than the default pattern, which skips names with a dot).
        admin.MapFallback("{**path}", () => TypedResults.NotFound("not found: the admin listener serves /metrics, /healthz, the dashboard under /ui/ and the API under /v1 (see /v1/openapi.json)\n"))
            .ExcludeFromDescription();
    }

    /// <summary>Sets up the token now, so that a problem stops the start and the CLI finds the file at once; warns
    /// when the admin listener is reachable from other hosts.</summary>
    /// <exception cref="AdminTokenException">The token file cannot be read or created.</exception>
    public static void Prepare(WebApplication app, AgentConfig config)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bollard.Agent.Admin");
        var token = app.Services.GetRequiredService<AdminToken>();
        LoopHealthMetrics.Register(app.Services.GetRequiredService<LoopHealth>(), Prometheus.Metrics.DefaultFactory, Prometheus.Metrics.DefaultRegistry);
        DecisionMetrics.Register(app.Services.GetRequiredService<DecisionOutbox>(), Prometheus.Metrics.DefaultFactory, Prometheus.Metrics.DefaultRegistry);
        LogToken(logger, token.File, token.Generated ? "generated now" : "read");
        if (!IPAddress.IsLoopback(config.Admin.Address) && config.AdminTls is null)
        {
            LogNotLoopback(logger, config.Admin.ToString());
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Admin API token in {File} ({How})")]
    private static partial void LogToken(ILogger logger, string file, string how);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "The admin listener {Admin} is not on loopback: the admin API is reachable from other hosts, protected by its token only, in clear (plain HTTP, allowed by admin.allowPlainHttp)")]
    private static partial void LogNotLoopback(ILogger logger, string admin);
}

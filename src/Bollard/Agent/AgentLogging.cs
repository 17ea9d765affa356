using Microsoft.Extensions.Logging.Console;

namespace Bollard.Agent;

/// <summary>Applies the config's <c>log:</c> block. Logging settings from the environment (<c>Logging__LogLevel__...</c>)
/// still win over the level, as configuration rules win over the minimum level.</summary>
internal static class AgentLogging
{
    public static void Configure(WebApplicationBuilder builder, LogConfig log)
    {
        builder.Logging.SetMinimumLevel(log.Level);
        if (log.Format == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            // After AddSystemd's choice of its journal formatter: JSON was asked for, also under systemd.
            builder.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
        }
    }
}

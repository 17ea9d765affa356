using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace Bollard.Agent.Systemd;

/// <summary>The agent under systemd: readiness and stop notifications, journal-friendly logs, and the watchdog.</summary>
internal static class AgentSystemd
{
    /// <summary>
    /// Adds what systemd needs. Hosting's own detection looks for a parent process named systemd, which a hardened
    /// unit hides (<c>ProtectProc=invisible</c> leaves only the agent's own processes in /proc); a notification socket
    /// in the environment is what sd_notify(3) goes by, and so does this.
    /// </summary>
    public static void Add(IServiceCollection services, AgentConfig config)
    {
        services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && NotifySocket.FromEnvironment() is { } socket)
        {
            services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Systemd);
            services.TryAddSingleton<ISystemdNotifier>(socket);
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        // Tests register their own settings (a socket of theirs, a short stall limit).
        if (!services.Any(d => d.ServiceType == typeof(WatchdogSettings)) && WatchdogSettings.FromEnvironment() is { } watchdog)
        {
            services.AddSingleton(watchdog);
        }

        if (services.Any(d => d.ServiceType == typeof(WatchdogSettings)))
        {
            services.TryAddSingleton(_ => new BalancerProbe(config.Listen));
            services.AddHostedService<SystemdWatchdog>();
        }
    }

    /// <summary>Answers the watchdog's probe on the balancer's listener, in front of the proxy (when there is a watchdog).</summary>
    public static void MapProbe(WebApplication app, AgentConfig config)
    {
        if (app.Services.GetService<BalancerProbe>() is not { } probe)
        {
            return;
        }

        var path = new PathString(probe.Path);
        var port = config.Listen.Port;
        app.MapWhen(
            context => context.Connection.LocalPort == port && context.Request.Path.Equals(path, StringComparison.Ordinal),
            branch => branch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return Task.CompletedTask;
            }));
    }
}

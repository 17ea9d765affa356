using Bollard.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Options;

namespace Bollard.Cli;

/// <summary>
/// The verbs of the bollard executable. Exit codes scripts can rely on: 0 success, 1 failed, invalid or refused,
/// 2 wrong usage, 3 the daemon cannot be reached, 4 authentication failed.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
    public const int AuthFailed = 4;

    public const string UsageText = """
        usage:
          bollard agent --config FILE                 run the daemon (scaler, catalog and balancer of this host)
          bollard validate [-f] PATH...               check spec files or directories locally; prints every problem
          bollard plan -f PATH...                     show what apply would change (services, containers, routes, weights)
          bollard apply -f PATH...                    make these specs the desired state (services not in them are removed)
          bollard status [SERVICE]                    services, or one service: replicas per zone and version, health
          bollard rollout start SERVICE --image IMAGE start a rollout of a new image
          bollard rollout status SERVICE [--watch]    where the rollout is (--watch: follow it until it ends, Ctrl+C stops)
          bollard rollout pause|resume|promote|abort|undo SERVICE
          bollard decisions [SERVICE]                 recent decisions and why they were taken
          bollard audit [SERVICE]                     who changed what, when, and the outcome
          bollard simulate -f SPEC --trace CSV [--compare SPEC] [-o table|json] [--plot SVG] [--start-delay 3s] [--service NAME]
                                                      replay a load trace through the autoscaler, offline
          bollard version                             print the version

        options of the verbs that talk to the daemon:
          --server URL        the admin API (default http://127.0.0.1:9901, or BOLLARD_SERVER)
          --token-file PATH   the admin token (default /var/lib/bollard/admin.token, or BOLLARD_TOKEN_FILE;
                              BOLLARD_TOKEN may hold the token itself)
          --json              print JSON instead of tables

        exit codes: 0 ok, 1 failed/invalid/refused, 2 usage, 3 daemon unreachable, 4 authentication failed
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, CliContext.Console, cancel.Token);
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return args switch
            {
                ["agent", "--config" or "-c", var file] => await RunAgentAsync(file, context),
                ["validate", .. var rest] => SpecVerbs.Validate(CliArguments.Parse(rest), context),
                ["plan", .. var rest] => await SpecVerbs.PlanAsync(CliArguments.Parse(rest), context, apply: false, cancellationToken),
                ["apply", .. var rest] => await SpecVerbs.PlanAsync(CliArguments.Parse(rest), context, apply: true, cancellationToken),
                ["status", .. var rest] => await StatusVerbs.StatusAsync(AtMostOne(rest, "status"), context, cancellationToken),
                ["decisions", .. var rest] => await StatusVerbs.DecisionsAsync(AtMostOne(rest, "decisions"), context, cancellationToken),
                ["audit", .. var rest] => await StatusVerbs.AuditAsync(AtMostOne(rest, "audit"), context, cancellationToken),
                ["simulate", .. var rest] => SimulateVerb.Run(SimulateArguments.Parse(rest), context),
                ["rollout", .. var rest] => await RolloutVerbs.RunAsync(CliArguments.Parse(rest), context, cancellationToken),
                ["version" or "--version"] => PrintVersion(context),
                ["help" or "--help" or "-h"] => PrintUsage(context.Out, Ok),
                _ => PrintUsage(context.Error, Usage),
            };
        }
        catch (CliException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
    }

    private static CliArguments AtMostOne(string[] rest, string verb)
    {
        var parsed = CliArguments.Parse(rest);
        return parsed.Positionals.Count <= 1 ? parsed : throw CliArguments.Usage($"{verb} takes at most one SERVICE");
    }

    private static async Task<int> RunAgentAsync(string configFile, CliContext context)
    {
        RuntimeTuning.Apply();
        AgentConfig config;
        IReadOnlyList<ServiceSpec> specs;
        try
        {
            config = AgentConfigLoader.Load(configFile);
            specs = SpecLoader.LoadPath(config.ServicesPath);
        }
        catch (SpecValidationException e)
        {
            // The first load fails fast: running on half a configuration would be worse than not starting.
            await context.Error.WriteLineAsync($"bollard: cannot start: {e.Message}");
            return AgentExitCodes.InvalidConfig;
        }

        try
        {
            // Bollard's own series are what operators need; prometheus-net's default listeners on every .NET meter and
            // event counter would add work to each proxied request (Kestrel's and HttpClient's per-request instruments).
            Prometheus.Metrics.SuppressDefaultMetrics(new Prometheus.SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
            // Exemplars come from trace context, which the agent does not create: looking for one costs every request.
            Prometheus.Metrics.DefaultFactory.ExemplarBehavior = Prometheus.ExemplarBehavior.NoExemplars();
            using var stateLock = StateDirectoryLock.Acquire(config.StateDirectory);
            await using var app = AgentHost.Build(config, specs);

            // Not RunAsync: it disposes the services, and the loops are asked below whether one of them crashed.
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            return AgentHost.CrashedLoops(app) is { Count: > 0 } crashed
                ? await CrashedAsync(context, $"a background service failed: {string.Join("; ", crashed)}")
                : AgentExitCodes.Stopped;
        }
        catch (OptionsValidationException e)
        {
            await context.Error.WriteLineAsync($"bollard: cannot start: invalid settings in {configFile}: {string.Join("; ", e.Failures)}");
            return AgentExitCodes.InvalidConfig;
        }
        catch (Exception e) when (e is AdminTokenException or StateStoreUnavailableException)
        {
            await context.Error.WriteLineAsync($"bollard: cannot start: {e.Message}; check 'admin.tokenFile' and 'stateDir' in {configFile}");
            return AgentExitCodes.CannotStartNow;
        }
        catch (SecretKeyException e)
        {
            await context.Error.WriteLineAsync($"bollard: cannot start: {e.Message}; check 'secrets.keyFile' and 'stateDir' in {configFile}");
            return AgentExitCodes.InvalidConfig;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await context.Error.WriteLineAsync($"bollard: cannot start: cannot listen ({e.Message}); check 'listen' and 'admin' in {configFile}");
            return AgentExitCodes.CannotStartNow;
        }
#pragma warning disable CA1031 // The last line of defence: say what happened and exit with a code systemd restarts on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return await CrashedAsync(context, e.ToString());
        }
    }

    private static async Task<int> CrashedAsync(CliContext context, string what)
    {
        await context.Error.WriteLineAsync($"bollard: stopped by an unexpected error (exit code {AgentExitCodes.Crashed}; systemd restarts it): {what}");
        return AgentExitCodes.Crashed;
    }

    private static int PrintVersion(CliContext context)
    {
        context.Out.WriteLine($"bollard {typeof(CommandLine).Assembly.GetName().Version}");
        return Ok;
    }

    private static int PrintUsage(TextWriter writer, int code)
    {
        writer.WriteLine(UsageText);
        return code;
    }
}

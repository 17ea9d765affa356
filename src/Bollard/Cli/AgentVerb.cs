using System.CommandLine;
using Bollard.Agent;
using Bollard.Agent.Listeners;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Secrets;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using Microsoft.Extensions.Options;

namespace Bollard.Cli;

/// <summary>
/// `bollard agent --config FILE` runs the daemon; with --check it only validates the config and the spec files it
/// names, offline, and exits. A configuration error exits with <see cref="CommandLine.ConfigError"/> (78) either way,
/// so that systemd does not restart a daemon that cannot start until someone fixes its files
/// (RestartPreventExitStatus=78 in the unit).
/// </summary>
internal static class AgentVerb
{
    public static Verb Create(CliContext context)
    {
        var verb = new Verb("agent", "Run the daemon: the scaler, the catalog and the balancer of this host")
        {
            Examples =
            [
                "bollard agent --config /etc/bollard/agent.yaml",
                "bollard agent --check --config /etc/bollard/agent.yaml   # validate agent.yaml and its spec files, start nothing",
            ],
        };
        var config = new Option<string>("--config", "-c") { Description = "The agent's config file (agent.yaml)", HelpName = "FILE", Required = true };
        var check = new Option<bool>("--check") { Description = "Only validate the config and the spec files it names (offline), then exit: 0 valid, 78 invalid" };
        verb.Options.Add(config);
        verb.Options.Add(check);
        verb.SetAction((result, _) => result.GetValue(check)
            ? Task.FromResult(Check(result.GetValue(config)!, context))
            : RunAsync(result.GetValue(config)!, context));
        return verb;
    }

    private static int Check(string configFile, CliContext context)
    {
        try
        {
            var config = AgentConfigLoader.Load(configFile);
            var specs = SpecLoader.LoadPath(config.ServicesPath);
            context.Out.WriteLine($"{configFile}: valid (cluster {config.Cluster}, zone {config.Zone}, controller {config.Controller.ToString().ToLowerInvariant()}, catalog {(config.ConsulAddress is null ? "embedded" : $"Consul at {config.ConsulAddress}")})");
            context.Out.WriteLine($"{config.ServicesPath}: {specs.Count} valid service spec(s){(specs.Count == 0 ? "" : ": " + string.Join(", ", specs.Select(s => $"{s.Name} (replicas {SpecFacts.ReplicasText(s)})")))}");
            return CommandLine.Ok;
        }
        catch (SpecValidationException e)
        {
            context.Error.WriteLine($"bollard: invalid configuration: {e.Message}");
            return CommandLine.ConfigError;
        }
    }

    private static async Task<int> RunAsync(string configFile, CliContext context)
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
        catch (InheritedSocketException e)
        {
            await context.Error.WriteLineAsync($"bollard: cannot start: {e.Message}");
            return AgentExitCodes.InvalidConfig;
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
            // A bug in the daemon: the journal keeps where it happened.
            return await CrashedAsync(context, e.ToString());
        }
    }

    private static async Task<int> CrashedAsync(CliContext context, string what)
    {
        await context.Error.WriteLineAsync($"bollard: stopped by an unexpected error (exit code {AgentExitCodes.Crashed}; systemd restarts it): {what}");
        return AgentExitCodes.Crashed;
    }
}

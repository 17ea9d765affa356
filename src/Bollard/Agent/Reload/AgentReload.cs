using System.Runtime.InteropServices;
using System.Threading.Channels;
using Bollard.Balancer;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Agent.Reload;

/// <summary>
/// SIGHUP (<c>systemctl reload bollard</c>) reloads the agent's files without a restart: agent.yaml's <c>balancer:</c>
/// settings, and the spec files (at the config's <c>services</c> path) as long as no specs were applied through the
/// API. Everything is read and validated first; an invalid file is logged and changes nothing. The balancer keeps
/// serving throughout: routes and settings are swapped, requests in flight finish as they started. Settings that need
/// new listeners, another catalog or another state directory are reported as applying at the next restart.
/// </summary>
internal sealed partial class AgentReload(
    AgentConfig config,
    BalancerSettingsSource balancer,
    IEnumerable<IValidateOptions<BalancerOptions>> validators,
    IControlPlane controlPlane,
    IAppliedSpecsSource applied,
    LoopHealth health,
    ILogger<AgentReload> logger) : SupervisedBackgroundService("reload", health)
{
    /// <summary>agent.yaml's names of the fields whose property names differ.</summary>
    private static readonly Dictionary<string, string> YamlNames = new(StringComparer.Ordinal)
    {
        ["HostName"] = "host",
        ["AdminTokenFile"] = "admin.tokenFile",
        ["StateDirectory"] = "stateDir",
        ["DockerEndpoint"] = "docker.endpoint",
        ["PublishAddress"] = "docker.publishAddress",
        ["AdvertiseAddress"] = "docker.advertiseAddress",
        ["ConsulAddress"] = "consul.address",
        ["ConsulTokenFile"] = "consul.tokenFile",
    };

    /// <summary>What a reload applies itself (the rest applies at the next restart).</summary>
    private static readonly HashSet<string> Reloaded = new(StringComparer.Ordinal) { nameof(AgentConfig.Source), nameof(AgentConfig.Balancer), nameof(AgentConfig.ServicesPath) };

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // One pending reload is enough: each reads every file again.
        var requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true; // not the runtime's default for SIGHUP, which ends the process
            requests.Writer.TryWrite(true);
        });
        while (await requests.Reader.WaitToReadAsync(stoppingToken))
        {
            requests.Reader.TryRead(out _);
            await ReloadAsync(stoppingToken);
        }
    }

    /// <summary>One reload: read and validate everything, then apply the balancer's settings and the spec files.</summary>
    internal async Task ReloadAsync(CancellationToken cancellationToken)
    {
        AgentConfig next;
        IReadOnlyList<ServiceSpec> specs;
        try
        {
            next = AgentConfigLoader.Load(config.Source);
            specs = SpecLoader.LoadPath(next.ServicesPath);
        }
        catch (SpecValidationException e)
        {
            LogRefused(e.Message);
            return;
        }

        IReadOnlyList<string> changed;
        try
        {
            changed = balancer.Change(next.Balancer, validators);
        }
        catch (OptionsValidationException e)
        {
            var error = $"invalid balancer settings in {config.Source}: {string.Join("; ", e.Failures)}";
            LogRefused(error);
            return;
        }

        if (changed.Count > 0)
        {
            var names = string.Join(", ", changed);
            LogBalancerChanged(names);
        }
        else
        {
            LogBalancerUnchanged();
        }

        if (ConfigDifferences.Of(config, next, YamlNames, Reloaded) is { Count: > 0 } atRestart)
        {
            var names = string.Join(", ", atRestart);
            LogAtRestart(config.Source, names);
        }

        await ReloadSpecsAsync(next.ServicesPath, specs, cancellationToken);
    }

    private async Task ReloadSpecsAsync(string path, IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken)
    {
        if (controlPlane is not SpecControlPlane control)
        {
            return;
        }

        try
        {
            if (await control.ReloadFilesAsync(specs, applied as AppliedSpecsWatch, cancellationToken) is { } summary)
            {
                LogSpecsReloaded(path, summary);
            }
            else
            {
                LogSpecsApplied(path);
            }
        }
        catch (ControlPlaneException e)
        {
            LogSpecsNotReloaded(path, e.Message);
        }
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Reload refused, nothing was changed: {Error}")]
    private partial void LogRefused(string error);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Reloaded: balancer settings changed ({Settings})")]
    private partial void LogBalancerChanged(string settings);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Reloaded: balancer settings unchanged")]
    private partial void LogBalancerUnchanged();

    [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Changed in {File}, applies at the next restart (not by a reload): {Settings}")]
    private partial void LogAtRestart(string file, string settings);

    [LoggerMessage(EventId = 9205, Level = LogLevel.Information, Message = "Reloaded the spec files in {Path}: {Summary}")]
    private partial void LogSpecsReloaded(string path, string summary);

    [LoggerMessage(EventId = 9206, Level = LogLevel.Information, Message = "The spec files in {Path} were not read again: specs were applied through the admin API, and those run until the next apply")]
    private partial void LogSpecsApplied(string path);

    [LoggerMessage(EventId = 9207, Level = LogLevel.Warning, Message = "The spec files in {Path} were not reloaded: {Error}")]
    private partial void LogSpecsNotReloaded(string path, string error);
}

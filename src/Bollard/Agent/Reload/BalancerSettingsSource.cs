using Bollard.Balancer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Bollard.Agent.Reload;

/// <summary>
/// The balancer's settings as the agent config's <c>balancer:</c> block gives them, and the change token that makes
/// the balancer read them again when a reload changes that block (the balancer follows IOptionsMonitor).
/// </summary>
internal sealed class BalancerSettingsSource(AgentConfig config) : IOptionsChangeTokenSource<BalancerOptions>
{
    private volatile BalancerConfig _current = config.Balancer;
    private ConfigurationReloadToken _token = new();

    public string Name => Options.DefaultName;

    public BalancerConfig Current => _current;

    public IChangeToken GetChangeToken() => _token;

    /// <summary>Fills the balancer's options from the agent config (what the balancer's options are built with).</summary>
    public void Configure(BalancerOptions options) => Configure(options, _current);

    /// <summary>
    /// Makes <paramref name="next"/> the balancer's settings, once the balancer's own validation accepts them.
    /// </summary>
    /// <returns>The fields that changed (YAML names, e.g. <c>retries.max</c>); none: nothing to do.</returns>
    /// <exception cref="OptionsValidationException">The balancer refuses them: nothing was changed.</exception>
    public IReadOnlyList<string> Change(BalancerConfig next, IEnumerable<IValidateOptions<BalancerOptions>> validators)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(validators);
        var changed = ConfigDifferences.Of(_current, next);
        if (changed.Count == 0)
        {
            return changed;
        }

        // Validated before the switch: the options are rebuilt when the token fires, and a failure there would leave
        // the balancer without settings.
        var candidate = new BalancerOptions();
        Configure(candidate, next);
        var failures = validators.Select(v => v.Validate(Options.DefaultName, candidate)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(BalancerOptions), failures);
        }

        _current = next;
        Interlocked.Exchange(ref _token, new ConfigurationReloadToken()).OnReload();
        return changed;
    }

    private void Configure(BalancerOptions options, BalancerConfig balancer)
    {
        options.Cluster = config.Cluster;
        options.Zone = config.Zone;
        balancer.ApplyTo(options);
        options.HttpsRedirectPort = config.EffectiveListeners.FirstOrDefault(l => l.IsHttps)?.Address.Port;
        // Read at start only (a reload does not change them): the trusted proxies and the listeners' access logs.
        foreach (var proxy in config.TrustedProxies)
        {
            options.TrustedProxies.Add(proxy);
        }

        foreach (var listener in config.EffectiveListeners)
        {
            if ((listener.AccessLog ?? config.AccessLog) is { } log)
            {
                options.AccessLogs.Add(new Balancer.AccessLogs.AccessLogOptions
                {
                    Port = listener.Address.Port, File = log.File, Format = log.Format, QueueCapacity = log.QueueCapacity,
                });
            }
        }

        options.SnapshotFile = Path.Combine(config.StateDirectory, "routing-snapshot.json");
    }
}

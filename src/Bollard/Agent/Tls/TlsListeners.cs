using Bollard.Agent.Listeners;
using Bollard.Scaler.Specs;

namespace Bollard.Agent.Tls;

/// <summary>Every HTTPS listener of the agent (the balancer's and the admin's), loaded at start, for Kestrel and the reloader.</summary>
internal sealed class TlsListeners
{
    private readonly Dictionary<ListenerConfig, TlsListener> _balancer;

    private TlsListeners(Dictionary<ListenerConfig, TlsListener> balancer, TlsListener? admin, TimeSpan reloadInterval)
    {
        _balancer = balancer;
        Admin = admin;
        ReloadInterval = reloadInterval;
        All = [.. balancer.Values, .. admin is null ? Array.Empty<TlsListener>() : [admin]];
    }

    public TlsListener? Admin { get; }

    public IReadOnlyList<TlsListener> All { get; }

    public TimeSpan ReloadInterval { get; }

    public TlsListener? For(ListenerConfig listener) => _balancer.GetValueOrDefault(listener);

    /// <summary>Loads the certificates of every HTTPS listener of <paramref name="config"/>.</summary>
    /// <exception cref="SpecValidationException">A file cannot be used now (the config check passed, so it changed since).</exception>
    public static TlsListeners Load(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            var balancer = config.EffectiveListeners
                .Where(l => l.Tls is not null)
                .ToDictionary(l => l, l => new TlsListener(l.ToString(), l.Tls!, l.Protocols));
            var admin = config.AdminTls is { } tls ? new TlsListener($"admin https://{config.Admin}", tls, AdminProtocols) : null;
            return new TlsListeners(balancer, admin, config.CertificateReloadInterval);
        }
        catch (CertificateFileException e)
        {
            throw new SpecValidationException([new SpecError(config.Source, 0, 0, "listeners", e.Message)]);
        }
    }

    /// <summary>The admin listener speaks both over TLS (the CLI uses HTTP/1.1).</summary>
    public const Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols AdminProtocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
}

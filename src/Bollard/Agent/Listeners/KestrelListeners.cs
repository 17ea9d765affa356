using System.Net;
using Bollard.Agent.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Bollard.Agent.Listeners;

/// <summary>Binds the agent's listeners in Kestrel: the balancer's (HTTP or HTTPS, their HTTP versions) and the admin's.</summary>
internal static class KestrelListeners
{
    /// <summary>Kestrel's default: a client has 10 s to finish its TLS handshake.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <param name="kestrel">Kestrel's options.</param>
    /// <param name="config">The listeners to bind.</param>
    /// <param name="tls">The HTTPS listeners' certificates.</param>
    /// <param name="inherited">
    /// Sockets passed by systemd (bollard.socket): a listener with one takes it instead of binding its address, so the
    /// socket, and the connections waiting on it, outlive this process.
    /// </param>
    public static void Bind(KestrelServerOptions kestrel, AgentConfig config, TlsListeners tls, IReadOnlyList<InheritedSocket> inherited)
    {
        foreach (var listener in config.EffectiveListeners)
        {
            Bind(kestrel, listener.Address, listener.Protocols, tls.For(listener), SocketActivation.For(listener.Address, inherited));
        }

        Bind(kestrel, config.Admin, tls.Admin is null ? HttpProtocols.Http1 : TlsListeners.AdminProtocols, tls.Admin, SocketActivation.For(config.Admin, inherited));
    }

    /// <summary>Every inherited socket must be some listener's: a socket unit listening where the config does not is a config error.</summary>
    /// <exception cref="InheritedSocketException">An inherited socket matches no listener of the config.</exception>
    public static void CheckInherited(AgentConfig config, IReadOnlyList<InheritedSocket> inherited)
    {
        if (SocketActivation.Unclaimed([.. config.EffectiveListeners.Select(l => l.Address), config.Admin], inherited) is { Count: > 0 } unclaimed)
        {
            throw new InheritedSocketException($"the service manager passed {string.Join(", ", unclaimed)}, which no listener of {config.Source} uses (listen, listeners, admin): the socket unit and the config must list the same addresses");
        }
    }

    private static void Bind(KestrelServerOptions kestrel, IPEndPoint address, HttpProtocols protocols, TlsListener? tls, InheritedSocket? inherited)
    {
        if (inherited is null)
        {
            kestrel.Listen(address, listen => Configure(listen, protocols, tls));
        }
        else
        {
            kestrel.ListenHandle((ulong)inherited.Descriptor, listen => Configure(listen, protocols, tls));
        }
    }

    private static void Configure(ListenOptions listen, HttpProtocols protocols, TlsListener? tls)
    {
        listen.Protocols = protocols;
        if (tls is not null)
        {
            // A callback rather than a certificate: the SNI name picks the certificate, and a renewal is picked up
            // at the next handshake (TlsListener holds what is in force).
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = tls.OnConnectionAsync, HandshakeTimeout = HandshakeTimeout });
        }
    }
}

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

    public static void Bind(KestrelServerOptions kestrel, AgentConfig config, TlsListeners tls)
    {
        foreach (var listener in config.EffectiveListeners)
        {
            Bind(kestrel, listener.Address, listener.Protocols, tls.For(listener));
        }

        Bind(kestrel, config.Admin, tls.Admin is null ? HttpProtocols.Http1 : TlsListeners.AdminProtocols, tls.Admin);
    }

    private static void Bind(KestrelServerOptions kestrel, IPEndPoint address, HttpProtocols protocols, TlsListener? tls) =>
        kestrel.Listen(address, listen =>
        {
            listen.Protocols = protocols;
            if (tls is not null)
            {
                // A callback rather than a certificate: the SNI name picks the certificate, and a renewal is picked up
                // at the next handshake (TlsListener holds what is in force).
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = tls.OnConnectionAsync, HandshakeTimeout = HandshakeTimeout });
            }
        });
}

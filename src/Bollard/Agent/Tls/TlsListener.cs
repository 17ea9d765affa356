using System.Net.Security;
using Bollard.Agent.Listeners;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Bollard.Agent.Tls;

/// <summary>
/// The runtime side of one HTTPS listener: Kestrel asks <see cref="OnConnectionAsync"/> for every handshake, which
/// hands out the options of the certificate the SNI name picks from the material in force; <see cref="Reload"/>
/// swaps in new material when the files changed (renewal by certbot or Vault, no restart), and keeps the old one when
/// the new files are not usable yet (a half-written renewal: certificate new, key still old).
/// </summary>
internal sealed class TlsListener
{
    private volatile TlsMaterial _material;

    /// <exception cref="CertificateFileException">The files cannot be used now.</exception>
    public TlsListener(string name, ListenerTls tls, HttpProtocols protocols)
    {
        ArgumentNullException.ThrowIfNull(tls);
        Name = name;
        Tls = tls;
        Protocols = protocols;
        _material = TlsMaterial.Build(TlsMaterial.Read(tls), protocols);
    }

    /// <summary>How logs name it, e.g. "https://0.0.0.0:443" or "admin https://10.0.0.5:9901".</summary>
    public string Name { get; }

    public ListenerTls Tls { get; }

    public HttpProtocols Protocols { get; }

    public TlsMaterial Material => _material;

    /// <summary>The last reload problem, so that a renewal stuck on the same one is logged once.</summary>
    internal string? LastProblem { get; set; }

    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context) =>
        ValueTask.FromResult(_material.Options.Select(context.ClientHelloInfo.ServerName));

    /// <summary>Reads the files; when their bytes changed, builds and swaps in the new material.</summary>
    /// <returns>The new material, or null when the files did not change.</returns>
    /// <exception cref="CertificateFileException">The files changed but cannot be used (the old material stays).</exception>
    public TlsMaterial? Reload()
    {
        var contents = TlsMaterial.Read(Tls);
        if (contents.Fingerprint == _material.Fingerprint)
        {
            return null;
        }

        var material = TlsMaterial.Build(contents, Protocols);
        _material = material;
        return material;
    }
}

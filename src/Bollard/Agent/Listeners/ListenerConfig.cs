using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bollard.Agent.Listeners;

/// <summary>
/// One listener of the balancer (<c>listeners:</c> in agent.yaml; <c>listen:</c> is the one-line form of a single plain
/// HTTP listener): its address, HTTPS with its certificates when <see cref="Tls"/> is set, and the HTTP versions it
/// speaks.
/// </summary>
/// <param name="Address">The IP address and port it binds.</param>
/// <param name="Tls">Its certificates and client-certificate requirement; null: plain HTTP.</param>
/// <param name="Protocols">
/// HTTP/1.1 and/or HTTP/2. With TLS both by default, chosen per connection by ALPN; without TLS one of them (HTTP/2
/// without TLS is h2c with prior knowledge: nothing tells the two apart on a cleartext connection).
/// </param>
/// <param name="AccessLog">Its own access log; null: the agent's <c>accessLog</c>, if any.</param>
public sealed record ListenerConfig(IPEndPoint Address, ListenerTls? Tls = null, HttpProtocols Protocols = HttpProtocols.Http1, AccessLogConfig? AccessLog = null)
{
    public bool IsHttps => Tls is not null;

    /// <summary>A plain HTTP/1.1 listener (what <c>listen:</c> declares).</summary>
    public static ListenerConfig Http(IPEndPoint address) => new(address);

    public override string ToString() => $"{(IsHttps ? "https" : "http")}://{Address}";
}

/// <summary>The TLS side of a listener (the balancer's or the admin's).</summary>
/// <param name="Certificates">
/// PEM certificate and key files; the client's SNI name picks one (exact names first, then wildcards); the first is the
/// default for a name none covers, or for a client that sends none.
/// </param>
/// <param name="ClientCaFile">A PEM file of the CA(s) whose client certificates are accepted (mutual TLS); null: none asked.</param>
public sealed record ListenerTls(IReadOnlyList<CertificateFiles> Certificates, string? ClientCaFile = null)
{
    public bool Equals(ListenerTls? other) =>
        other is not null && Certificates.SequenceEqual(other.Certificates) && ClientCaFile == other.ClientCaFile;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ClientCaFile);
        foreach (var certificate in Certificates)
        {
            hash.Add(certificate);
        }

        return hash.ToHashCode();
    }
}

/// <summary>A certificate (with its chain, leaf first) and its private key, both PEM files, as certbot or Vault write them.</summary>
public sealed record CertificateFiles(string CertFile, string KeyFile);

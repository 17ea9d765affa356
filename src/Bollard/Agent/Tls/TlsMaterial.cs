using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bollard.Agent.Listeners;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bollard.Agent.Tls;

/// <summary>
/// What one HTTPS listener hands every handshake, built once from its files: per certificate a complete
/// <see cref="SslServerAuthenticationOptions"/> (certificate context with its chain, the TLS policy, ALPN, the
/// client-certificate requirement), and the table that picks one by SNI name. Immutable: a renewal builds a new one.
/// </summary>
internal sealed class TlsMaterial
{
    private TlsMaterial(SniTable<SslServerAuthenticationOptions> options, IReadOnlyList<ServerCertificate> certificates, string fingerprint)
    {
        Options = options;
        Certificates = certificates;
        Fingerprint = fingerprint;
    }

    public SniTable<SslServerAuthenticationOptions> Options { get; }

    public IReadOnlyList<ServerCertificate> Certificates { get; }

    /// <summary>A digest of every file's bytes: equal digests, nothing to reload.</summary>
    public string Fingerprint { get; }

    /// <summary>The files' contents, read now, with their digest (cheap: a renewal check reads them every interval).</summary>
    /// <exception cref="CertificateFileException">A file is missing or unreadable.</exception>
    public static Contents Read(ListenerTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var certificates = tls.Certificates.Select(c => (Files: c, Certificate: CertificateFileException.Read(c.CertFile), Key: CertificateFileException.Read(c.KeyFile))).ToList();
        var authorities = tls.ClientCaFile is { } ca ? CertificateFileException.Read(ca) : null;
        var all = new StringBuilder();
        foreach (var (_, certificate, key) in certificates)
        {
            all.Append(certificate).Append('\0').Append(key).Append('\0');
        }

        all.Append(authorities);
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
        return new Contents(tls, certificates, authorities, fingerprint);
    }

    /// <exception cref="CertificateFileException">The contents are not usable certificates, keys or CAs.</exception>
    public static TlsMaterial Build(Contents contents, HttpProtocols protocols)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var check = contents.Authorities is { } pem ? ClientCertificateCheck.FromPem(pem, contents.Tls.ClientCaFile!) : null;
        var alpn = ApplicationProtocolsOf(protocols);
        var certificates = contents.Certificates.Select(c => ServerCertificate.FromPem(c.Certificate, c.Key, c.Files)).ToList();
        var entries = certificates.Select(c => ((IReadOnlyList<string>)c.Names, new SslServerAuthenticationOptions
        {
            ServerCertificateContext = c.Context,
            EnabledSslProtocols = TlsPolicy.Protocols,
            CipherSuitesPolicy = TlsPolicy.CipherSuites,
            AllowRenegotiation = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = alpn,
            ClientCertificateRequired = check is not null,
            RemoteCertificateValidationCallback = check is null ? null : check.Validate,
        })).ToList();
        return new TlsMaterial(new SniTable<SslServerAuthenticationOptions>(entries), certificates, contents.Fingerprint);
    }

    /// <summary>HTTP/2 first when offered (a client that speaks both gets it), as Kestrel orders them.</summary>
    internal static List<SslApplicationProtocol> ApplicationProtocolsOf(HttpProtocols protocols)
    {
        var alpn = new List<SslApplicationProtocol>();
        if (protocols.HasFlag(HttpProtocols.Http2))
        {
            alpn.Add(SslApplicationProtocol.Http2);
        }

        if (protocols.HasFlag(HttpProtocols.Http1))
        {
            alpn.Add(SslApplicationProtocol.Http11);
        }

        return alpn;
    }

    /// <summary>The raw texts of a listener's files and their digest.</summary>
    internal sealed record Contents(
        ListenerTls Tls,
        IReadOnlyList<(CertificateFiles Files, string Certificate, string Key)> Certificates,
        string? Authorities,
        string Fingerprint);
}

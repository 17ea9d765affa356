using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>
/// Certificates made by the test (ECDSA P-256, fast to make): a CA, and leaf certificates it signs for given DNS names
/// (and 127.0.0.1), written as PEM files the way certbot writes them (leaf then CA in the certificate file, the key apart).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public TestCertificates(string directory, string name = "Bollard test CA")
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        AuthorityFile = Path.Combine(directory, $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(AuthorityFile, Authority.ExportCertificatePem());
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The CA certificate as a PEM file (for curl's --cacert, a listener's clientCaFile).</summary>
    public string AuthorityFile { get; }

    /// <summary>A server certificate for <paramref name="names"/> (and the IP 127.0.0.1), its files named after <paramref name="file"/>.</summary>
    public (string CertFile, string KeyFile, X509Certificate2 Certificate) Server(string file, params string[] names) =>
        Issue(file, ServerAuthentication, names);

    /// <summary>A client certificate for mutual TLS.</summary>
    public (string CertFile, string KeyFile, X509Certificate2 Certificate) Client(string file, string name) =>
        Issue(file, ClientAuthentication, [name]);

    /// <summary>Accepts a server certificate only when it chains to this CA (for .NET clients: HttpClient, gRPC, SslStream).</summary>
    public bool Trusts(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    /// <summary>A handler for .NET clients that trusts this CA (and nothing else).</summary>
    public SocketsHttpHandler Handler() => new()
    {
        UseProxy = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => Trusts(certificate) },
    };

    public void Dispose() => Authority.Dispose();

    private (string CertFile, string KeyFile, X509Certificate2 Certificate) Issue(string file, string usage, string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), serial);
        var certificate = issued.CopyWithPrivateKey(key);
        var certFile = Path.Combine(Directory, file + ".pem");
        var keyFile = Path.Combine(Directory, file + ".key");
        File.WriteAllText(certFile, certificate.ExportCertificatePem() + "\n" + Authority.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile, certificate);
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bollard.Agent.Listeners;

namespace Bollard.Agent.Tls;

/// <summary>
/// A server certificate read from its PEM files, ready for handshakes: the leaf with its private key, the chain
/// (intermediates, in the order of the file) resolved once into the context every handshake reuses, and the DNS names
/// it answers for (its subject alternative names, or its common name when it has none).
/// </summary>
internal sealed class ServerCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private ServerCertificate(X509Certificate2 leaf, SslStreamCertificateContext context, IReadOnlyList<string> names)
    {
        Leaf = leaf;
        Context = context;
        Names = names;
    }

    public X509Certificate2 Leaf { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>Lower-case DNS names, wildcards as written ("*.example.com").</summary>
    public IReadOnlyList<string> Names { get; }

    /// <exception cref="CertificateFileException">A file is missing, unreadable or not a usable certificate and key.</exception>
    public static ServerCertificate Load(CertificateFiles files) =>
        FromPem(CertificateFileException.Read(files.CertFile), CertificateFileException.Read(files.KeyFile), files);

    /// <exception cref="CertificateFileException">The texts are not a usable certificate and matching key.</exception>
    public static ServerCertificate FromPem(string certificatePem, string keyPem, CertificateFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(certificatePem);
        }
        catch (CryptographicException e)
        {
            throw new CertificateFileException(files.CertFile, $"is not a PEM certificate file: {e.Message}");
        }

        if (all.Count == 0)
        {
            throw new CertificateFileException(files.CertFile, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new CertificateFileException(files.KeyFile, $"is not the PEM private key of {files.CertFile}: {e.Message}");
        }

        if (!AllowsServerAuthentication(leaf))
        {
            throw new CertificateFileException(files.CertFile, "is not for servers: its extended key usage lacks serverAuth (1.3.6.1.5.5.7.3.1)");
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            intermediates.Add(all[i]);
        }

        // offline: the chain is what the file holds; nothing is downloaded at a handshake.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new ServerCertificate(leaf, context, NamesOf(leaf));
    }

    internal static IReadOnlyList<string> NamesOf(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames())
            .Select(n => n.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } commonName)
        {
            names.Add(commonName.ToLowerInvariant());
        }

        return names;
    }

    private static bool AllowsServerAuthentication(X509Certificate2 certificate)
    {
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().ToList();
        return usages.Count == 0 || usages.Any(u => u.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthentication));
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bollard.Agent.Tls;

/// <summary>
/// Mutual TLS: a client certificate is required and accepted only when it chains to one of the CAs of the listener's
/// <c>clientCaFile</c> (those alone: the system's trusted roots do not count) and allows client authentication.
/// Revocation is not checked (no CRL or OCSP fetch in a handshake).
/// </summary>
internal sealed class ClientCertificateCheck(X509Certificate2Collection authorities)
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <exception cref="CertificateFileException">The file is missing, unreadable or holds no PEM certificate.</exception>
    public static ClientCertificateCheck FromPem(string pem, string file)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new CertificateFileException(file, $"is not a PEM file of CA certificates: {e.Message}");
        }

        return authorities.Count > 0
            ? new ClientCertificateCheck(authorities)
            : throw new CertificateFileException(file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        if (chain is not null)
        {
            // Intermediates the client sent with its certificate.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        if (certificate is X509Certificate2 certificate2)
        {
            return custom.Build(certificate2);
        }

        using var converted = new X509Certificate2(certificate);
        return custom.Build(converted);
    }
}

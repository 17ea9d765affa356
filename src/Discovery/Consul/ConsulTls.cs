using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bollard.Discovery.Consul;

/// <summary>
/// HTTPS to Consul: the HTTP handler every Consul call goes through trusts only the CAs of
/// <see cref="ConsulOptions.CaFile"/> for Consul's certificate (the system's when none is given) and shows the client
/// certificate of <see cref="ConsulOptions.CertFile"/> when Consul asks for one. The files are read once, when the
/// handler is made; their contents never reach a message or a log line (only their paths do).
/// </summary>
public static class ConsulTls
{
    /// <summary>The handler for <paramref name="options"/>: plain for an http address, with the TLS settings for https.</summary>
    /// <exception cref="ArgumentException">A file cannot be read (the options were not validated).</exception>
    public static SocketsHttpHandler CreateHandler(ConsulOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler();
        if (options.Address?.Scheme != Uri.UriSchemeHttps)
        {
            return handler;
        }

        try
        {
            if (options.CaFile is { Length: > 0 } caFile)
            {
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,

                    // A private CA (Consul's own `consul tls ca create`, an operator's) publishes no revocation list.
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.AddRange(ReadCertificates(caFile));
                handler.SslOptions.CertificateChainPolicy = policy;
            }

            if (options.CertFile is { Length: > 0 } certFile && options.KeyFile is { Length: > 0 } keyFile)
            {
                handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certFile, keyFile)];
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            handler.Dispose();
            throw new ArgumentException($"Consul's TLS files cannot be used: {e.Message}", nameof(options), e);
        }

        return handler;
    }

    /// <summary>What is wrong with the TLS settings of <paramref name="options"/>, each naming the setting and the file.</summary>
    public static IReadOnlyList<string> Problems(ConsulOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.CaFile is { Length: > 0 } caFile)
        {
            try
            {
                if (ReadCertificates(caFile).Count == 0)
                {
                    problems.Add($"Consul CaFile '{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
                }
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"Consul CaFile '{caFile}' cannot be read as PEM certificates: {e.Message}");
            }
        }

        var hasCert = !string.IsNullOrEmpty(options.CertFile);
        var hasKey = !string.IsNullOrEmpty(options.KeyFile);
        if (hasCert != hasKey)
        {
            problems.Add("Consul CertFile and KeyFile go together (a client certificate and its private key); set both or neither.");
        }
        else if (hasCert)
        {
            try
            {
                using var certificate = X509Certificate2.CreateFromPemFile(options.CertFile!, options.KeyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"Consul CertFile '{options.CertFile}' with KeyFile '{options.KeyFile}' cannot be loaded as a PEM certificate and its private key: {e.Message}");
            }
        }

        return problems;
    }

    private static X509Certificate2Collection ReadCertificates(string file)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(file);
        return certificates;
    }
}

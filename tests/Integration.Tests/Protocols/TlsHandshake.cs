using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>A bare TLS handshake with a listener: which certificate it serves for an SNI name (none for an IP address).</summary>
internal static class TlsHandshake
{
    public static async Task<X509Certificate2> ServedCertificateAsync(int port, string serverName)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(
            // Any certificate: the test looks at which one is served, including ones that do not match the name.
            new SslClientAuthenticationOptions { TargetHost = serverName, RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null },
            timeout.Token);
        return X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
    }
}

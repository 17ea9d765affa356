using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Bollard.SampleApp.Streams;

/// <summary>
/// Lets one cleartext port speak HTTP/1.1 and HTTP/2 with prior knowledge (h2c), as Go's h2c handler does: Kestrel
/// (.NET 10) picks HTTP/1.1 on a cleartext endpoint that allows both, since it has no ALPN to tell them apart. This
/// connection step peeks at the first bytes: the HTTP/2 connection preface (RFC 9113, 3.4) marks the connection as
/// having negotiated "h2", which is what Kestrel's protocol selection reads; anything else is left alone (HTTP/1.1).
/// Kestrel then sees a TLS feature on the connection, so the server must allow the request's own ":scheme: http"
/// (<c>AllowAlternateSchemes</c>). A sample-app device only: replicas behind an http2/grpc route need both protocols on
/// their port (h2c for the traffic, HTTP/1.1 for the health checks).
/// </summary>
internal static class H2cPriorKnowledge
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static ConnectionDelegate Detect(ConnectionDelegate next) => async connection =>
    {
        if (await StartsWithPrefaceAsync(connection))
        {
            var negotiated = new NegotiatedH2();
            connection.Features.Set<ITlsConnectionFeature>(negotiated);
            connection.Features.Set<ITlsApplicationProtocolFeature>(negotiated);
        }

        await next(connection);
    };

    /// <summary>Reads until the bytes so far differ from the preface or all of it is there; consumes nothing.</summary>
    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(connection.ConnectionClosed);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var start = buffer.Slice(0, length).ToArray();
            var matches = start.AsSpan().SequenceEqual(Preface.AsSpan(0, length));
            if (!matches || length == Preface.Length || result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }

            // A prefix of the preface so far: wait for more without consuming it.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private sealed class NegotiatedH2 : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

        public Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<System.Security.Cryptography.X509Certificates.X509Certificate2?>(null);
    }
}

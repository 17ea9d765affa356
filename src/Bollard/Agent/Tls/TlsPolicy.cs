using System.Net.Security;
using System.Security.Authentication;

namespace Bollard.Agent.Tls;

/// <summary>
/// The TLS every HTTPS listener of the agent speaks: TLS 1.2 and 1.3 only, and for TLS 1.2 only ECDHE key exchange with
/// AEAD ciphers (the "intermediate" profile of Mozilla's server-side TLS guidelines, without its finite-field DHE
/// suites): forward secrecy everywhere, no CBC, no RSA key transport, no SHA-1 MACs. TLS 1.3's own suites are all
/// AEAD. Renegotiation is off (HTTP/2 forbids it, and it is an attack surface for HTTP/1.1).
/// </summary>
internal static class TlsPolicy
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>One instance for every connection: the runtime keys its TLS context cache by it.</summary>
    public static CipherSuitesPolicy CipherSuites { get; } = new(
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);
}

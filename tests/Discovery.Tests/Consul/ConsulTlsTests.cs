using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

/// <summary>The TLS settings of Consul's client: checked at start with the file named, then used by the handler.</summary>
public sealed class ConsulTlsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bollard-tls-");
    private readonly string _ca;
    private readonly string _cert;
    private readonly string _key;
    private readonly string _otherKey;

    public ConsulTlsTests()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = new CertificateRequest("CN=test ca", caKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        _ca = Write("ca.pem", ca.ExportCertificatePem());
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = new CertificateRequest("CN=client", clientKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        _cert = Write("client.pem", client.ExportCertificatePem());
        _key = Write("client-key.pem", clientKey.ExportPkcs8PrivateKeyPem());
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _otherKey = Write("other-key.pem", other.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public void Good_files_have_no_problem_and_make_a_handler_that_trusts_only_the_ca_and_shows_the_certificate()
    {
        var options = Options(_ca, _cert, _key);

        Assert.Empty(ConsulTls.Problems(options));
        using var handler = ConsulTls.CreateHandler(options);
        var policy = handler.SslOptions.CertificateChainPolicy!;
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal("CN=test ca", Assert.Single(policy.CustomTrustStore).Subject);
        Assert.Equal("CN=client", Assert.IsType<X509Certificate2>(Assert.Single(handler.SslOptions.ClientCertificates!)).Subject);
    }

    [Fact]
    public void An_http_address_gets_a_plain_handler()
    {
        var options = Options(_ca, _cert, _key);
        options.Address = new Uri("http://127.0.0.1:8500");

        using var handler = ConsulTls.CreateHandler(options);

        Assert.Null(handler.SslOptions.CertificateChainPolicy);
        Assert.Null(handler.SslOptions.ClientCertificates);
    }

    [Fact]
    public void Problems_name_the_setting_and_the_file_and_never_hold_a_key()
    {
        var notPem = Write("not.pem", "hello");
        var keyText = File.ReadAllText(_key);

        Assert.Contains(ConsulTls.Problems(Options(notPem, null, null)), p => p.Contains("CaFile", StringComparison.Ordinal) && p.Contains(notPem, StringComparison.Ordinal));
        Assert.Contains(ConsulTls.Problems(Options(Path.Combine(_dir.FullName, "missing.pem"), null, null)), p => p.Contains("missing.pem", StringComparison.Ordinal));
        Assert.Contains(ConsulTls.Problems(Options(null, _cert, null)), p => p.Contains("go together", StringComparison.Ordinal));
        var mismatch = Assert.Single(ConsulTls.Problems(Options(null, _cert, _otherKey)));
        Assert.Contains("CertFile", mismatch, StringComparison.Ordinal);
        Assert.Contains(ConsulTls.Problems(Options(null, _key, _cert)), p => !p.Contains(keyText, StringComparison.Ordinal));
        Assert.NotEmpty(Options(notPem, null, null).Validate());
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static ConsulOptions Options(string? ca, string? cert, string? key) =>
        new() { Address = new Uri("https://127.0.0.1:8501"), CaFile = ca, CertFile = cert, KeyFile = key };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}

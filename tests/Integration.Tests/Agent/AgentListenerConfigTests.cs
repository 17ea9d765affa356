using System.Net;
using Bollard.Agent;
using Bollard.IntegrationTests.Protocols;
using Bollard.Scaler.Specs;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// The listeners:, admin TLS and tls: fields of agent.yaml: what they become, their defaults, and every mistake located
/// at its file, line and field. Certificates are real PEM files (the reader loads them, so a bad one is found at start).
/// </summary>
public sealed class AgentListenerConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bollard-listeners-").FullName;
    private readonly TestCertificates _certificates;
    private readonly (string CertFile, string KeyFile, System.Security.Cryptography.X509Certificates.X509Certificate2 _) _server;

    public AgentListenerConfigTests()
    {
        _certificates = new TestCertificates(Path.Combine(_directory, "tls"));
        _server = _certificates.Server("server", "a.test");
    }

    private string AgentFile => Path.Combine(_directory, "agent.yaml");

    public void Dispose()
    {
        _certificates.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Without_listeners_listen_is_the_one_plain_http1_listener()
    {
        var config = Parse("listen: 0.0.0.0:8088\n");

        var listener = Assert.Single(config.EffectiveListeners);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8088), listener.Address);
        Assert.False(listener.IsHttps);
        Assert.Equal(HttpProtocols.Http1, listener.Protocols);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), Parse("zone: a\n").EffectiveListeners[0].Address);
    }

    [Fact]
    public void Listeners_take_schemes_certificates_relative_to_the_config_a_client_ca_and_protocols()
    {
        var config = Parse("""
            listeners:
              - {address: 0.0.0.0:80}
              - address: 0.0.0.0:443
                scheme: https
                certificates: [{certFile: tls/server.pem, keyFile: tls/server.key}]
                clientCaFile: CA
              - {address: 127.0.0.1:8081, protocols: [http2]}
            tls: {reloadInterval: 30s}
            """.Replace("CA", _certificates.AuthorityFile, StringComparison.Ordinal));

        Assert.Equal(3, config.Listeners.Count);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 80), config.Listen);
        Assert.Equal(HttpProtocols.Http1, config.Listeners[0].Protocols);
        var https = config.Listeners[1];
        Assert.True(https.IsHttps);
        Assert.Equal(HttpProtocols.Http1AndHttp2, https.Protocols);
        Assert.Equal(_server.CertFile, Assert.Single(https.Tls!.Certificates).CertFile);
        Assert.Equal(_server.KeyFile, https.Tls.Certificates[0].KeyFile);
        Assert.Equal(_certificates.AuthorityFile, https.Tls.ClientCaFile);
        Assert.Equal(HttpProtocols.Http2, config.Listeners[2].Protocols);
        Assert.Equal(TimeSpan.FromSeconds(30), config.CertificateReloadInterval);
        Assert.Equal(AgentConfig.DefaultCertificateReloadInterval, Parse("zone: a\n").CertificateReloadInterval);
    }

    [Theory]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: https}\n", 2, "an https listener needs certificates")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: tls}\n", 2, "'tls' is not a scheme")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:80, protocols: [http1, http2]}\n", 2, "not both")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:80, protocols: [http3]}\n", 2, "'http3' is not a protocol")]
    [InlineData("listeners:\n  - {address: 'localhost:80'}\n", 2, "must be an IP address and port")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:80}\n  - {address: 0.0.0.0:80}\n", 3, "is listed twice")]
    [InlineData("listen: 0.0.0.0:80\nlisteners:\n  - {address: 0.0.0.0:81}\n", 3, "listen and listeners both")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:80, certificates: [{certFile: tls/server.pem, keyFile: tls/server.key}]}\n", 2, "need scheme: https")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: https, certificates: [{certFile: tls/none.pem, keyFile: tls/server.key}]}\n", 2, "none.pem does not exist")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: https, certificates: [{certFile: tls/server.pem, keyFile: tls/other.key}]}\n", 2, "is not the PEM private key of")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: https, certificates: [{certFile: tls/server.key, keyFile: tls/server.key}]}\n", 2, "holds no PEM certificate")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:443, scheme: https, certificates: [{certFile: tls/server.pem, keyFile: tls/server.key}], clientCaFile: tls/server.key}\n", 2, "holds no PEM certificate")]
    [InlineData("listeners:\n  - {address: 0.0.0.0:80, port: 1}\n", 2, "unknown field")]
    [InlineData("admin: 0.0.0.0:9901\n", 1, "is not on loopback")]
    [InlineData("admin:\n  listen: 10.0.0.5:9901\n", 2, "is not on loopback")]
    [InlineData("listen: 127.0.0.1:9901\nadmin: 127.0.0.2:9901\n", 2, "needs a port of its own")]
    [InlineData("admin: {listen: 127.0.0.1:9901, clientCaFile: tls/server.pem}\n", 1, "client certificates need TLS")]
    [InlineData("tls: {reloadInterval: 0s}\n", 1, "reloadInterval")]
    public void Mistakes_are_located_with_what_is_wrong(string yaml, int line, string message)
    {
        _certificates.Server("other", "b.test");

        var error = Assert.Throws<SpecValidationException>(() => Parse(yaml));

        Assert.Contains($"agent.yaml:{line}:", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_listener_off_loopback_is_allowed_over_https_or_with_allow_plain_http()
    {
        var https = Parse("admin:\n  listen: 0.0.0.0:9901\n  certificates: [{certFile: tls/server.pem, keyFile: tls/server.key}]\n");
        var plain = Parse("admin:\n  listen: 0.0.0.0:9901\n  allowPlainHttp: true\n");

        Assert.Equal(_server.CertFile, Assert.Single(https.AdminTls!.Certificates).CertFile);
        Assert.False(https.AdminAllowPlainHttp);
        Assert.Null(plain.AdminTls);
        Assert.True(plain.AdminAllowPlainHttp);
    }

    private AgentConfig Parse(string yaml)
    {
        File.WriteAllText(AgentFile, yaml);
        return AgentConfigLoader.Load(AgentFile);
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Bollard.IntegrationTests.Protocols;

/// <summary>
/// One agent with every kind of listener: plain HTTP, HTTPS with three certificates (a default, an exact name, a
/// wildcard), HTTPS requiring client certificates, h2c, HTTPS with a certificate the tests replace on disk, and the
/// admin listener over HTTPS; three services (HTTP/1.1 replicas, HTTP/2 replicas, a route redirecting to HTTPS).
/// Checked from outside as an operator would: curl (--http2, --resolve for SNI), openssl s_client, TLS handshakes.
/// </summary>
public sealed class TlsListenerTests(TlsListenerTests.Agent agent) : IClassFixture<TlsListenerTests.Agent>
{
    [Fact]
    public async Task Sni_picks_the_exact_name_then_the_wildcard_else_the_first_certificate()
    {
        var port = agent.Port("https");

        Assert.Equal(agent.Exact.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "a.test")).SerialNumber);
        Assert.Equal(agent.Wildcard.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "x.w.test")).SerialNumber);
        Assert.Equal(agent.Default.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "other.test")).SerialNumber);
        // A wildcard covers one label only, and a client without SNI (an IP address) gets the first certificate.
        Assert.Equal(agent.Default.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "y.x.w.test")).SerialNumber);
        Assert.Equal(agent.Default.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "127.0.0.1")).SerialNumber);
    }

    [Fact]
    public async Task Curl_gets_http2_over_tls_for_each_name_and_the_replica_answers()
    {
        foreach (var name in new[] { "a.test", "x.w.test", "default.test" })
        {
            var (exit, output, error) = await Curl.RunAsync(
                "--http2", "--cacert", agent.Certificates.AuthorityFile, "--resolve", $"{name}:{agent.Port("https")}:127.0.0.1",
                "--write-out", "\n%{http_version} %{http_code}", $"https://{name}:{agent.Port("https")}/orders/1");

            Assert.True(exit == 0, $"curl for {name} failed ({exit}): {error}");
            var lines = output.Split('\n');
            Assert.Equal("2 200", lines[^1]);
            Assert.Equal("/orders/1", JsonDocument.Parse(lines[0]).RootElement.GetProperty("path").GetString());
        }
    }

    [Fact]
    public async Task Only_tls_1_2_and_above_with_forward_secret_aead_ciphers_are_accepted()
    {
        var port = agent.Port("https").ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(0, (await SClientAsync(port, "-tls1_3")).Exit);
        Assert.Equal(0, (await SClientAsync(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")).Exit);
        Assert.NotEqual(0, (await SClientAsync(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA")).Exit);
        Assert.NotEqual(0, (await SClientAsync(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA384")).Exit);
        Assert.NotEqual(0, (await SClientAsync(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")).Exit);
    }

    [Fact]
    public async Task Plain_http_to_a_route_with_https_redirect_is_sent_to_the_https_listener()
    {
        var (exit, output, error) = await Curl.RunAsync(
            "--header", "Host: secure.test", "--output", "/dev/null", "--write-out", "%{http_code} %{redirect_url}",
            $"http://127.0.0.1:{agent.Port("http")}/pay/1?x=2");

        Assert.True(exit == 0, error);
        Assert.Equal($"308 https://secure.test:{agent.Port("https")}/pay/1?x=2", output);

        // Over HTTPS the same route is proxied; other routes on plain HTTP are not redirected.
        var (tlsExit, tlsOutput, tlsError) = await Curl.RunAsync(
            "--cacert", agent.Certificates.AuthorityFile, "--resolve", $"secure.test:{agent.Port("https")}:127.0.0.1",
            "--output", "/dev/null", "--write-out", "%{http_code}", $"https://secure.test:{agent.Port("https")}/pay/1");
        Assert.True(tlsExit == 0, tlsError);
        Assert.Equal("200", tlsOutput);
        var (_, plain, _) = await Curl.RunAsync("--output", "/dev/null", "--write-out", "%{http_code}", $"http://127.0.0.1:{agent.Port("http")}/orders/1");
        Assert.Equal("200", plain);
    }

    [Fact]
    public async Task An_http2_route_reaches_its_replicas_over_h2c_and_an_http1_route_over_http1()
    {
        async Task<string> ProtocolSeenAsync(string host)
        {
            var (exit, output, error) = await Curl.RunAsync(
                "--http2", "--cacert", agent.Certificates.AuthorityFile, "--resolve", $"{host}:{agent.Port("https")}:127.0.0.1",
                $"https://{host}:{agent.Port("https")}/sample/protocol");
            Assert.True(exit == 0, error);
            return output;
        }

        Assert.Equal("HTTP/2", await ProtocolSeenAsync("h2.test"));
        Assert.Equal("HTTP/1.1", await ProtocolSeenAsync("default.test"));
    }

    [Fact]
    public async Task An_h2c_listener_speaks_http2_with_prior_knowledge()
    {
        var (exit, output, error) = await Curl.RunAsync(
            "--http2-prior-knowledge", "--output", "/dev/null", "--write-out", "%{http_version} %{http_code}", $"http://127.0.0.1:{agent.Port("h2c")}/orders/1");

        Assert.True(exit == 0, error);
        Assert.Equal("2 200", output);
    }

    [Fact]
    public async Task A_listener_with_a_client_ca_serves_only_clients_with_a_certificate_it_signed()
    {
        var url = $"https://a.test:{agent.Port("mtls")}/orders/1";
        string[] common = ["--cacert", agent.Certificates.AuthorityFile, "--resolve", $"a.test:{agent.Port("mtls")}:127.0.0.1", "--output", "/dev/null", "--write-out", "%{http_code}"];
        var client = agent.Certificates.Client("client", "client-1");
        using var stranger = new TestCertificates(Path.Combine(agent.Certificates.Directory, "stranger"), "Another CA");
        var foreign = stranger.Client("foreign", "client-2");

        var accepted = await Curl.RunAsync([.. common, "--cert", client.CertFile, "--key", client.KeyFile, url]);
        var without = await Curl.RunAsync([.. common, url]);
        var refused = await Curl.RunAsync([.. common, "--cert", foreign.CertFile, "--key", foreign.KeyFile, url]);

        Assert.True(accepted.Exit == 0 && accepted.Output == "200", $"with a client certificate: {accepted.Exit} {accepted.Output} {accepted.Error}");
        Assert.NotEqual(0, without.Exit);
        Assert.NotEqual(0, refused.Exit);
    }

    [Fact]
    public async Task The_admin_listener_serves_https_only()
    {
        var url = $"127.0.0.1:{agent.Port("admin")}/healthz";

        var (exit, output, error) = await Curl.RunAsync("--cacert", agent.Certificates.AuthorityFile, $"https://{url}");
        var plain = await Curl.RunAsync($"http://{url}");

        Assert.True(exit == 0, error);
        Assert.StartsWith("ok", output, StringComparison.Ordinal);
        Assert.NotEqual("ok", plain.Output.Trim());
    }

    [Fact]
    public async Task Certificate_files_replaced_on_disk_are_served_without_a_restart_and_a_broken_renewal_keeps_the_old_one()
    {
        var port = agent.Port("reload");
        var before = await TlsHandshake.ServedCertificateAsync(port, "r.test");
        Assert.Equal(agent.Renewable.SerialNumber, before.SerialNumber);

        // Half a renewal first: a new certificate beside the old key. It cannot be used; the old one stays in force.
        var next = agent.Certificates.Server("renewed", "r.test");
        File.Copy(next.CertFile, agent.RenewableFiles.CertFile, overwrite: true);
        using var admin = new HttpClient(agent.Certificates.Handler());
        await Eventually.TrueAsync(
            async () => (await admin.GetStringAsync(new Uri($"https://127.0.0.1:{agent.Port("admin")}/healthz"))).Contains("certificate-reload", StringComparison.Ordinal),
            "/healthz showing the certificate reload failing");
        Assert.Equal(agent.Renewable.SerialNumber, (await TlsHandshake.ServedCertificateAsync(port, "r.test")).SerialNumber);

        // The key follows: the new certificate is served from the next handshake on, and the reload recovers.
        File.Copy(next.KeyFile, agent.RenewableFiles.KeyFile, overwrite: true);
        await Eventually.TrueAsync(
            async () => (await TlsHandshake.ServedCertificateAsync(port, "r.test")).SerialNumber == next.Certificate.SerialNumber,
            "the renewed certificate being served");
        await Eventually.TrueAsync(
            async () => !(await admin.GetStringAsync(new Uri($"https://127.0.0.1:{agent.Port("admin")}/healthz"))).Contains("certificate-reload", StringComparison.Ordinal),
            "/healthz without the certificate reload failing");
    }

    private Task<(int Exit, string Output, string Error)> SClientAsync(string port, params string[] options) =>
        Curl.RunToolAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "a.test", "-CAfile", agent.Certificates.AuthorityFile, "-verify_return_error", .. options], input: "Q\n");

    public sealed class Agent : IAsyncLifetime
    {
        private ProtocolAgent? _agent;

        public TestCertificates Certificates { get; } = new(Path.Combine(Path.GetTempPath(), TestEnvironment.UniqueName("certs")));

        public X509Certificate2 Default { get; private set; } = null!;

        public X509Certificate2 Exact { get; private set; } = null!;

        public X509Certificate2 Wildcard { get; private set; } = null!;

        public X509Certificate2 Renewable { get; private set; } = null!;

        public (string CertFile, string KeyFile) RenewableFiles { get; private set; }

        public int Port(string name) => _agent!.Port(name);

        public async Task InitializeAsync()
        {
            var @default = Certificates.Server("default", "default.test", "secure.test", "h2.test");
            var exact = Certificates.Server("exact", "a.test");
            var wildcard = Certificates.Server("wildcard", "*.w.test");
            var renewable = Certificates.Server("renewable", "r.test");
            (Default, Exact, Wildcard, Renewable) = (@default.Certificate, exact.Certificate, wildcard.Certificate, renewable.Certificate);
            RenewableFiles = (renewable.CertFile, renewable.KeyFile);
            string Pair((string CertFile, string KeyFile, X509Certificate2 _) c) => $"{{certFile: \"{c.CertFile}\", keyFile: \"{c.KeyFile}\"}}";
            _agent = new ProtocolAgent(
                $"""
                listeners:
                  - {"{"}address: "127.0.0.1:{"{"}port:http{"}"}"{"}"}
                  - address: "127.0.0.1:{"{"}port:https{"}"}"
                    scheme: https
                    certificates: [{Pair(@default)}, {Pair(exact)}, {Pair(wildcard)}]
                  - address: "127.0.0.1:{"{"}port:mtls{"}"}"
                    scheme: https
                    certificates: [{Pair(exact)}]
                    clientCaFile: "{Certificates.AuthorityFile}"
                  - address: "127.0.0.1:{"{"}port:h2c{"}"}"
                    protocols: [http2]
                  - address: "127.0.0.1:{"{"}port:reload{"}"}"
                    scheme: https
                    certificates: [{Pair(renewable)}]
                admin:
                  listen: "127.0.0.1:{"{"}port:admin{"}"}"
                  certificates: [{Pair(@default)}]
                tls: {"{"}reloadInterval: 1s{"}"}
                """,
                new Dictionary<string, string>
                {
                    ["web.yaml"] = Spec("web", "pathPrefix: /"),
                    ["h2.yaml"] = Spec("h2", "host: h2.test\n  protocol: http2"),
                    ["secure.yaml"] = Spec("secure", "host: secure.test\n  httpsRedirect: true"),
                });
            await _agent.StartAsync();
            using var client = new HttpClient(Certificates.Handler()) { Timeout = TimeSpan.FromSeconds(5) };
            await ProtocolAgent.WaitServedAsync(client, new Uri($"http://127.0.0.1:{Port("http")}/orders/1"));
            foreach (var host in new[] { "h2.test", "secure.test" })
            {
                await Eventually.TrueAsync(
                    async () =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{Port("https")}/");
                        request.Headers.Host = host;
                        using var response = await client.SendAsync(request);
                        return response.StatusCode == HttpStatusCode.OK;
                    },
                    $"{host} served over HTTPS",
                    TimeSpan.FromSeconds(120));
            }
        }

        public async Task DisposeAsync()
        {
            if (_agent is not null)
            {
                await _agent.DisposeAsync();
            }

            Certificates.Dispose();
            Directory.Delete(Certificates.Directory, recursive: true);
        }

        private static string Spec(string name, string route) => $"""
            name: {name}
            image: {"{"}image{"}"}:v1
            port: 8080
            replicas: 1
            health: {"{"}interval: 500ms{"}"}
            route:
              {route}
            drainTimeout: 1s
            stopGracePeriod: 2s
            """;
    }
}

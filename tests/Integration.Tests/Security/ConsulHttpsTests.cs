using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Discovery;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// Consul over HTTPS: a Consul agent of the test's own serving its API with a certificate of a test CA made by openssl
/// and verifying its clients' certificates (verify_incoming_https). Bollard's client trusts only the CA it is given,
/// shows its certificate, and says plainly when the CA is the wrong one; a real `bollard agent` reaches it with the
/// settings of its config or with the standard CONSUL_* environment variables, and prints no key.
/// </summary>
public sealed class ConsulHttpsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_client_trusts_only_the_given_ca_shows_its_certificate_and_names_a_wrong_ca()
    {
        using var certificates = await OpensslCertificates.CreateAsync();
        using var consul = await StartConsulAsync(certificates);
        var key = $"bollard/{TestEnvironment.UniqueName("tls")}";

        var good = Store(consul, certificates.Ca, certificates.ClientCertificate, certificates.ClientKey);
        Assert.True(await good.TryPutAsync(key, "over tls"u8.ToArray(), 0, CancellationToken.None));
        Assert.Equal("over tls", Encoding.UTF8.GetString((await good.GetAsync(key, CancellationToken.None))!.Value.Span));

        var wrongCa = await Assert.ThrowsAsync<CatalogUnavailableException>(() => Store(consul, certificates.WrongCa, certificates.ClientCertificate, certificates.ClientKey).GetAsync(key, CancellationToken.None));
        Assert.Contains("the TLS handshake failed", wrongCa.Message, StringComparison.Ordinal);
        Assert.Contains(certificates.WrongCa, wrongCa.Message, StringComparison.Ordinal);
        Assert.Contains("consul.caFile or CONSUL_CACERT", wrongCa.Message, StringComparison.Ordinal);

        // The system's CAs do not know the test CA; and Consul refuses a client without a certificate.
        await Assert.ThrowsAsync<CatalogUnavailableException>(() => Store(consul, null, certificates.ClientCertificate, certificates.ClientKey).GetAsync(key, CancellationToken.None));
        var noCertificate = await Assert.ThrowsAsync<CatalogUnavailableException>(() => Store(consul, certificates.Ca, null, null).GetAsync(key, CancellationToken.None));
        Assert.Contains("the TLS handshake failed", noCertificate.Message, StringComparison.Ordinal);
        Assert.Contains("client certificate: none", noCertificate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_reaches_consul_over_https_from_its_config_or_from_the_environment_and_prints_no_key()
    {
        using var certificates = await OpensslCertificates.CreateAsync();
        using var consul = await StartConsulAsync(certificates);
        var https = consul.HttpsAddress!;
        var (fromConfig, fromEnvironment) = (TestEnvironment.UniqueName("tlscfg"), TestEnvironment.UniqueName("tlsenv"));
        await using var configured = new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(fromConfig) },
            consulBlock: $"{{address: \"{https}\", caFile: {certificates.Ca}, certFile: {certificates.ClientCertificate}, keyFile: {certificates.ClientKey}}}");
        await using var environment = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(fromEnvironment) }, consulBlock: "{}");
        environment.Environment[ConsulEnvironment.Address] = https.Authority;
        environment.Environment[ConsulEnvironment.Ssl] = "true";
        environment.Environment[ConsulEnvironment.CaCert] = certificates.Ca;
        environment.Environment[ConsulEnvironment.ClientCert] = certificates.ClientCertificate;
        environment.Environment[ConsulEnvironment.ClientKey] = certificates.ClientKey;

        await Task.WhenAll(configured.StartAsync(), environment.StartAsync());

        foreach (var (agent, service) in new[] { (configured, fromConfig), (environment, fromEnvironment) })
        {
            await Eventually.TrueAsync(async () => !(await agent.AskAsync()).StartsWith("error", StringComparison.Ordinal), $"{service} served through its agent's balancer", Long);
            await Eventually.TrueAsync(async () => await PassingAsync(consul, certificates, service) == 1, $"{service}'s replica registered over https", Long);
            await Eventually.TrueAsync(async () => await HealthAsync(agent) == "ok", $"{service}'s agent healthy", Long);
        }

        var printed = string.Join('\n', configured.Output.Concat(environment.Output));
        Assert.All(KeyLines(certificates.ClientKey), line => Assert.DoesNotContain(line, printed, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_agent_given_the_wrong_ca_says_which_and_keeps_its_balancer_up()
    {
        using var certificates = await OpensslCertificates.CreateAsync();
        using var consul = await StartConsulAsync(certificates);
        await using var agent = new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(TestEnvironment.UniqueName("tlsbad")) },
            consulBlock: $"{{address: \"{consul.HttpsAddress}\", caFile: {certificates.WrongCa}, certFile: {certificates.ClientCertificate}, keyFile: {certificates.ClientKey}}}");

        await agent.StartAsync();

        await Eventually.TrueAsync(
            () => agent.Output.Any(l => l.Contains("the TLS handshake failed", StringComparison.Ordinal) && l.Contains(certificates.WrongCa, StringComparison.Ordinal)),
            "the agent saying the TLS handshake failed with the CA file it was given",
            Long);
        Assert.StartsWith("degraded", await HealthAsync(agent), StringComparison.Ordinal);
        Assert.All(KeyLines(certificates.ClientKey), line => Assert.DoesNotContain(line, string.Join('\n', agent.Output), StringComparison.Ordinal));
    }

    private static Task<ConsulTestAgent> StartConsulAsync(OpensslCertificates certificates) =>
        ConsulTestAgent.StartAsync(
            $"""
            cert_file = "{certificates.ServerCertificate}"
            key_file = "{certificates.ServerKey}"
            ca_file = "{certificates.Ca}"
            verify_incoming_https = true
            """,
            https: true);

    private static ConsulKeyValueStore Store(ConsulTestAgent consul, string? ca, string? cert, string? key)
    {
        var options = new ConsulOptions { Address = consul.HttpsAddress!, CaFile = ca, CertFile = cert, KeyFile = key, RequestTimeout = TimeSpan.FromSeconds(5) };
        return new ConsulKeyValueStore(new HttpClient(ConsulTls.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan }, options);
    }

    private static async Task<int> PassingAsync(ConsulTestAgent consul, OpensslCertificates certificates, string service)
    {
        var options = new ConsulOptions { Address = consul.HttpsAddress!, CaFile = certificates.Ca, CertFile = certificates.ClientCertificate, KeyFile = certificates.ClientKey };
        using var http = new HttpClient(ConsulTls.CreateHandler(options)) { BaseAddress = options.Address, Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetFromJsonAsync<JsonElement>($"/v1/health/service/{service}?passing=true")).GetArrayLength();
    }

    private static async Task<string> HealthAsync(AgentProcess agent)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetStringAsync(new Uri(agent.Admin, "/healthz"))).Trim();
    }

    /// <summary>The base64 lines of a PEM key (what would show if a key were ever printed).</summary>
    private static string[] KeyLines(string file) =>
        [.. File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))];

    private static string Spec(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 1
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

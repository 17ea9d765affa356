using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Discovery;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// The agents run with the shipped ACL policy (deploy/consul/bollard-agent-policy.hcl) and nothing more: a Consul agent
/// of the test's own with ACLs on and default_policy "deny", one token per agent, two real `bollard agent` processes of
/// one cluster (controller: cluster) on two engines, one taking its token from consul.tokenFile, the other from
/// CONSUL_HTTP_TOKEN. A service applied through one of them is placed on both hosts and served; Consul refuses an
/// anonymous write, and a write outside bollard/ with an agent's token; no token appears in what the agents print.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ConsulAclTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Agents_with_the_shipped_policy_place_and_serve_a_service_and_anonymous_writes_are_refused()
    {
        var engines = TestEnvironment.ZoneEngines();
        var master = Guid.NewGuid().ToString();
        using var consul = await ConsulTestAgent.StartAsync($$"""
            acl {
              enabled = true
              default_policy = "deny"
              down_policy = "extend-cache"
              tokens { master = "{{master}}"  agent = "{{master}}" }
            }
            """,
            token: master);
        using var http = new HttpClient { BaseAddress = consul.Address, Timeout = TimeSpan.FromSeconds(10) };
        var policy = await CreatePolicyAsync(http, master, consul.Node);
        var (tokenA, tokenB) = (await CreateTokenAsync(http, master, policy), await CreateTokenAsync(http, master, policy));

        var cluster = TestEnvironment.UniqueName("acl");
        var service = TestEnvironment.UniqueName("acl");
        await using var a = new AgentProcess(new Dictionary<string, string>(), extraConfig: "controller: cluster", cluster: cluster, host: "acl-a", consulBlock: $"{{address: \"{consul.Address}\", tokenFile: consul.token}}");
        await using var b = new AgentProcess(new Dictionary<string, string>(), extraConfig: "controller: cluster", cluster: cluster, host: "acl-b", docker: TestEnvironment.EngineEndpoint(engines[0]), consulBlock: "{}");
        await File.WriteAllTextAsync(Path.Combine(a.Directory, "consul.token"), tokenA);
        File.SetUnixFileMode(Path.Combine(a.Directory, "consul.token"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        b.Environment[ConsulEnvironment.Address] = consul.Address.Authority;
        b.Environment[ConsulEnvironment.TokenVariable] = tokenB;
        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        using var admin = a.AdminClient();
        using var spec = new StringContent(Spec(service), Encoding.UTF8, "text/yaml");
        (await admin.PostAsync("/v1/apply", spec)).EnsureSuccessStatusCode();

        // Placed by the controller (whichever it is) on both hosts, registered with the agents' tokens, served.
        await Eventually.TrueAsync(
            async () => (await a.RunningContainersAsync()).Count == 1 && (await b.RunningContainersAsync()).Count == 1,
            "one replica on each host",
            Long);
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => a.AskAsync()))).Where(r => !r.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == 2,
            "both replicas answering through the balancer",
            Long);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/v1/health/service/{service}?passing=true");
        read.Headers.Add("X-Consul-Token", master);
        Assert.Equal(2, (await (await http.SendAsync(read)).Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());

        // Consul refuses a write without a token, and an agent's token outside what the policy gives.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsync($"/v1/kv/bollard/{cluster}/commands/acl-b/forged", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(http, tokenA, "/v1/kv/elsewhere/key")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsync("/v1/session/create", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(http, tokenA, $"/v1/kv/bollard/{cluster}/probe")).StatusCode);

        // Nothing the agents do is refused: every loop of both is healthy, and Consul never answered them 403.
        await Eventually.TrueAsync(async () => await HealthAsync(a) == "ok" && await HealthAsync(b) == "ok", "both agents' /healthz ok", Long);
        var printed = string.Join('\n', a.Output.Concat(b.Output));
        Assert.DoesNotContain("Permission denied", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(" 403 ", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(tokenA, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(tokenB, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(master, printed, StringComparison.Ordinal);
    }

    /// <summary>The policy file as shipped, with the node name filled in as its header says.</summary>
    private static async Task<string> CreatePolicyAsync(HttpClient http, string master, string node)
    {
        var rules = (await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "consul", "bollard-agent-policy.hcl")))
            .Replace("HOST_NODE_NAME", node, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/acl/policy") { Content = JsonContent.Create(new { Name = $"bollard-agent-{node}", Rules = rules }) };
        request.Headers.Add("X-Consul-Token", master);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"the shipped policy was refused: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("ID").GetString()!;
    }

    private static async Task<string> CreateTokenAsync(HttpClient http, string master, string policy)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/acl/token") { Content = JsonContent.Create(new { Policies = new[] { new { ID = policy } } }) };
        request.Headers.Add("X-Consul-Token", master);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("SecretID").GetString()!;
    }

    private static async Task<string> HealthAsync(AgentProcess agent)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetStringAsync(new Uri(agent.Admin, "/healthz"))).Trim();
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent("x") };
        request.Headers.Add("X-Consul-Token", token);
        return await http.SendAsync(request);
    }

    private static string Spec(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 2
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

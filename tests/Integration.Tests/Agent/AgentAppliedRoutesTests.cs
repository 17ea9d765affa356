using System.Net;
using System.Net.Http.Headers;
using Bollard.IntegrationTests.Discovery;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// The balancer routes by the applied specs in the state store, not by the agent's spec files: also when it restarts
/// while the store cannot be read, when the routes it saved serve until the store answers.
/// </summary>
public sealed class AgentAppliedRoutesTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task An_agent_restarted_with_consul_down_serves_the_applied_routes_it_saved_not_its_spec_files()
    {
        using var consul = await ConsulTestAgent.StartAsync();
        var service = TestEnvironment.UniqueName("routes");
        await using var agent = new AgentFixture(service, replicas: 1, consul.Address);
        await agent.StartAsync();

        // The spec file routes every host; the applied spec only applied.test.
        using (var apply = new StringContent(Spec(service), System.Text.Encoding.UTF8, "text/yaml"))
        using (var admin = Admin(agent))
        {
            (await admin.PostAsync(new Uri("v1/apply", UriKind.Relative), apply)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            async () => await AnswerAsync(agent, "applied.test") == HttpStatusCode.OK && await AnswerAsync(agent, "other.test") == HttpStatusCode.NotFound,
            "the applied route served, the spec file's not",
            TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(
            () => File.Exists(Path.Combine(agent.Config.StateDirectory, "routing-snapshot.json")) && File.ReadAllText(Path.Combine(agent.Config.StateDirectory, "routing-snapshot.json")).Contains("applied.test", StringComparison.Ordinal),
            "the routing snapshot saved",
            TimeSpan.FromSeconds(10));

        await agent.StopAsync();
        consul.Kill();
        await agent.StartAsync();

        await Eventually.TrueAsync(async () => await AnswerAsync(agent, "applied.test") == HttpStatusCode.OK, "the saved applied route served", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotFound, await AnswerAsync(agent, "other.test"));
    }

    private static string Spec(string service) => $$"""
        name: {{service}}
        image: {{TestEnvironment.SampleImage}}:v1
        port: 8080
        replicas: 1
        health:
          interval: 500ms
        route: {host: applied.test}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static HttpClient Admin(AgentFixture agent)
    {
        var client = new HttpClient { BaseAddress = agent.Admin, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(agent.Config.StateDirectory, Bollard.Scaler.Admin.AdminToken.DefaultFileName)).Trim());
        return client;
    }

    private static async Task<HttpStatusCode?> AnswerAsync(AgentFixture agent, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, agent.Balancer);
        request.Headers.Host = host;
        try
        {
            using var response = await Http.SendAsync(request);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}

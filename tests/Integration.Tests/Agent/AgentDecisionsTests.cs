using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bollard.Scaler.Decisions;

namespace Bollard.IntegrationTests.Agent;

/// <summary>On a single host the decision log is kept in the state directory: a restarted agent still says why.</summary>
public sealed class AgentDecisionsTests
{
    [Fact]
    public async Task A_restarted_agent_shows_the_decisions_taken_before_it_stopped()
    {
        var service = TestEnvironment.UniqueName("decided");
        await using var agent = new AgentFixture(service, replicas: 1);
        await agent.StartAsync();
        List<Decision> before = [];
        await Eventually.TrueAsync(
            async () => (before = await DecisionsAsync(agent, service)).Any(d => d.Action == "register"),
            "the replica is created and registered",
            TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(
            () => Directory.EnumerateFiles(Path.Combine(agent.Config.StateDirectory, "state"), $"decisions~{service}~*").Any(),
            "the decisions are in the state directory",
            TimeSpan.FromSeconds(10));

        await agent.StopAsync();
        await agent.StartAsync();

        // Re-adopted, nothing new to create: what it shows of the creation comes from the state directory.
        var after = await DecisionsAsync(agent, service);
        Assert.Contains(before.First(d => d.Action == "create"), after);
        Assert.Contains(before.First(d => d.Action == "register"), after);
    }

    private static async Task<List<Decision>> DecisionsAsync(AgentFixture agent, string service)
    {
        using var admin = new HttpClient { BaseAddress = agent.Admin, Timeout = TimeSpan.FromSeconds(10) };
        var token = await File.ReadAllTextAsync(Path.Combine(agent.Config.StateDirectory, Bollard.Scaler.Admin.AdminToken.DefaultFileName));
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        return await admin.GetFromJsonAsync<List<Decision>>(new Uri($"v1/services/{service}/decisions", UriKind.Relative)) ?? [];
    }
}

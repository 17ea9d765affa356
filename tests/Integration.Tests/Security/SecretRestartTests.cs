using System.Net.Http.Headers;
using System.Text;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// One agent on its local state directory: after a restart it re-adopts the replicas of a spec with secret values
/// (no replica replaced, though the labels carry no value), and a scale-out after the restart gives the new replicas
/// the values from the sealed state, which holds none in clear text.
/// </summary>
public sealed class SecretRestartTests
{
    [Fact]
    public async Task A_restarted_agent_re_adopts_its_replicas_and_gives_new_ones_the_values_from_the_sealed_state()
    {
        var secret = $"restart-{Guid.NewGuid():N}";
        var logs = new CapturedLogs();
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("readopt"), replicas: 1)
        {
            Overrides = services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, null, LogLevel.Trace, null)));
            },
        };
        await agent.StartAsync();
        await ApplyAsync(agent, secret, replicas: 2);
        await Eventually.TrueAsync(async () => await WithSecretAsync(agent, secret) == 2 && (await agent.RunningContainersAsync()).Count == 2, "2 replicas with the value, the first spec's gone", TimeSpan.FromSeconds(60));
        var before = (await agent.RunningContainersAsync()).Select(c => c.ID).Order(StringComparer.Ordinal).ToList();

        await agent.StopAsync();
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(10)).All(r => !r.StartsWith("error", StringComparison.Ordinal)), "the re-adopted replicas serve");
        Assert.Equal(before, (await agent.RunningContainersAsync()).Select(c => c.ID).Order(StringComparer.Ordinal).ToList());

        await ApplyAsync(agent, secret, replicas: 3);
        await Eventually.TrueAsync(async () => await WithSecretAsync(agent, secret) == 3, "a third replica with the value", TimeSpan.FromSeconds(60));
        Assert.Equal(before, (await agent.RunningContainersAsync()).Select(c => c.ID).Where(before.Contains).Order(StringComparer.Ordinal).ToList());

        foreach (var file in Directory.EnumerateFiles(agent.Config.StateDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        foreach (var container in await agent.RunningContainersAsync())
        {
            Assert.DoesNotContain(container.Labels.Values, v => v.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    private static async Task ApplyAsync(AgentFixture agent, string secret, int replicas)
    {
        using var http = new HttpClient { BaseAddress = agent.Admin };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName)).Trim());
        using var body = new StringContent($$"""
            name: {{agent.Service}}
            image: {{TestEnvironment.SampleImage}}:v1
            port: 8080
            replicas: {{replicas}}
            env: {API_KEY: "{{secret}}"}
            health: {interval: 500ms}
            route: {pathPrefix: /}
            drainTimeout: 1s
            stopGracePeriod: 2s
            """, Encoding.UTF8, "text/yaml");
        using var response = await http.PostAsync(new Uri("v1/apply", UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> WithSecretAsync(AgentFixture agent, string secret)
    {
        var count = 0;
        foreach (var container in await agent.RunningContainersAsync())
        {
            var inspect = await agent.Docker.Containers.InspectContainerAsync(container.ID);
            count += inspect.Config.Env.Contains($"API_KEY={secret}") ? 1 : 0;
        }

        return count;
    }
}

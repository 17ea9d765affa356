using System.Text.Json;
using Bollard.IntegrationTests.Agent;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>What the sample replicas answer through an agent's balancer.</summary>
internal static class SampleAnswers
{
    /// <summary>The versions baked into the images (v1, v2) that answered <paramref name="requests"/> requests; a
    /// failed request counts as "error &lt;status&gt;".</summary>
    public static async Task<HashSet<string>> VersionsAsync(AgentFixture agent, int requests)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var versions = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            using var response = await http.GetAsync(agent.Balancer);
            var body = await response.Content.ReadAsStringAsync();
            versions.Add(response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("version").GetString()! : $"error {(int)response.StatusCode}");
        }

        return versions;
    }
}

using Bollard.Agent;
using Bollard.Discovery.Supervision;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// No background service of the agent can stop it by throwing: every one of them, in every mode, is supervised (an
/// escaping failure restarts the loop after a backoff). A new background service that is not fails this test.
/// </summary>
public sealed class AgentLoopsTests
{
    /// <summary>
    /// Hosted services that are not loops: they only act at start, and fail nothing there but a configuration error
    /// (SecretKeyCheck: a secrets key that is not the cluster's; an outage postpones both to before the passes).
    /// </summary>
    private static readonly string[] NotLoops = ["DesiredSpecsRestorer", "SecretKeyCheck"];

    [Theory]
    [InlineData("local, embedded catalog", "")]
    [InlineData("local, Consul", "consul: {address: \"http://127.0.0.1:8500\"}")]
    [InlineData("cluster", "consul: {address: \"http://127.0.0.1:8500\"}\ncontroller: cluster")]
    public async Task Every_background_service_of_the_agent_is_supervised(string mode, string config)
    {
        var directory = Directory.CreateTempSubdirectory("bollard-loops-").FullName;
        try
        {
            var file = Path.Combine(directory, "agent.yaml");
            await File.WriteAllTextAsync(file, $"stateDir: state\nservices: services\n{config}\n");
            Directory.CreateDirectory(Path.Combine(directory, "services"));
            await using var app = AgentHost.Build(AgentConfigLoader.Load(file), []);

            var ours = app.Services.GetServices<IHostedService>()
                .Where(s => s.GetType().Namespace?.StartsWith("Bollard", StringComparison.Ordinal) == true)
                .ToList();
            Assert.NotEmpty(ours);
            var unsupervised = ours
                .Where(s => s is not SupervisedBackgroundService && !NotLoops.Contains(s.GetType().Name))
                .Select(s => s.GetType().FullName)
                .ToList();
            Assert.True(unsupervised.Count == 0, $"{mode}: background services that could stop the agent: {string.Join(", ", unsupervised)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

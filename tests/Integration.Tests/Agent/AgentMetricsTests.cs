using Bollard.Cli;
using Bollard.IntegrationTests.Cli;
using Bollard.Scaler.Admin;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The series an SRE alerts on, read from a running agent's /metrics, and deleted with their service.</summary>
public sealed class AgentMetricsTests
{
    [Fact]
    public async Task The_agent_publishes_build_leadership_hosts_passes_decisions_and_weights_and_deletes_a_removed_services_series()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("metrics"), replicas: 1);
        await agent.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var service = $"service=\"{agent.Service}\"";
        var metrics = "";
        await Eventually.TrueAsync(
            async () => (metrics = await http.GetStringAsync(new Uri(agent.Admin, "/metrics"))).Contains($"bollard_scaler_healthy_replicas{{{service}}} 1", StringComparison.Ordinal)
                && metrics.Contains("bollard_version_weight_percent{" + service, StringComparison.Ordinal),
            "the service's replica and weight series");

        var build = BuildInfo.Current;
        Assert.Contains($"bollard_build_info{{version=\"{build.Version}\",commit=\"{build.Commit}\",runtime=\"{build.Runtime}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"bollard_controller_leader{{cluster=\"{agent.Config.Cluster}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"bollard_scaler_min_replicas{{{service}}} 1", metrics, StringComparison.Ordinal);
        Assert.Matches($"bollard_host_reachable{{host=\"{Environment.MachineName}\",zone=\"zone-a\"}} 1", metrics);
        Assert.Matches(@"bollard_reconcile_pass_duration_seconds_count [1-9]", metrics);
        Assert.Contains($"bollard_decisions_total{{{service},action=\"create\"}}", metrics, StringComparison.Ordinal);
        Assert.Matches($"bollard_version_weight_percent{{{service},version=\"[0-9a-f]{{12}}\"}} 100", metrics);

        // Every series the agent exports is in the reference.
        var documented = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "metrics.md"));
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(metrics, @"^# HELP (bollard_\w+)", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value))
        {
            Assert.Contains($"`{name}`", documented, StringComparison.Ordinal);
        }

        // Another service applied with --prune: the first one is removed, and so are its series.
        var file = Path.Combine(agent.Config.StateDirectory, "other.yaml");
        await File.WriteAllTextAsync(file, $"name: {agent.Service}-other\nimage: {TestEnvironment.SampleImage}:v1\nport: 8080\nreplicas: 0\n");
        var token = Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName);
        var applied = (await BollardExecutable.RunAsync(["apply", "-f", file, "--prune", "--yes", "--server", agent.Admin.ToString(), "--token-file", token])).WithoutStackTrace();
        Assert.True(applied.Code == CommandLine.Ok, applied.ToString());
        await Eventually.TrueAsync(
            async () => !(await http.GetStringAsync(new Uri(agent.Admin, "/metrics"))).Contains(service, StringComparison.Ordinal),
            "no series of the removed service left",
            TimeSpan.FromSeconds(60));
    }
}

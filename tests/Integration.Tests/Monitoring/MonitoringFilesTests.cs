using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bollard.IntegrationTests.Monitoring;

/// <summary>
/// deploy/prometheus/alerts.yaml and deploy/grafana/bollard.json checked by Prometheus's own promtool (Debian's
/// prometheus package, which scripts/deps.sh unpacks), and docs/metrics.md, which both refer to.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly string Root = TestEnvironment.RepositoryRoot;

    [Fact]
    public async Task The_alerting_rules_pass_promtool_check_rules()
    {
        var (code, output) = await PromtoolAsync("check", "rules", Path.Combine(Root, "deploy", "prometheus", "alerts.yaml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alerting_rules_fire_as_their_unit_tests_expect()
    {
        var (code, output) = await PromtoolAsync("test", "rules", Path.Combine(Root, "deploy", "prometheus", "alerts.test.yaml"));

        Assert.True(code == 0, output);
        foreach (var alert in new[] { "BollardReplicasBelowMin", "BollardZoneWithoutReplicas", "BollardRollbackHappened", "BollardControllerMissing", "BollardErrorRatioHigh" })
        {
            Assert.Contains($"alertname: {alert}", await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "prometheus", "alerts.test.yaml")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_query_of_the_dashboard_is_valid_promql_on_documented_series()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "grafana", "bollard.json")))!;
        var panels = dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        var exprs = panels.SelectMany(p => p["targets"]?.AsArray() ?? []).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        var titles = panels.Select(p => p["title"]!.GetValue<string>()).ToList();

        // promtool checks PromQL only in rule files: each query becomes a recording rule, Grafana's variables filled in.
        var rules = Path.Combine(Path.GetTempPath(), $"bollard-dashboard-{Guid.NewGuid():N}.yaml");
        var lines = new List<string> { "groups:", "  - name: dashboard", "    rules:" };
        for (var i = 0; i < exprs.Count; i++)
        {
            lines.Add($"      - record: dashboard:query_{i}");
            lines.Add($"        expr: {JsonSerializer.Serialize(exprs[i].Replace("$service", ".*", StringComparison.Ordinal).Replace("$__rate_interval", "5m", StringComparison.Ordinal))}");
        }

        await File.WriteAllLinesAsync(rules, lines);
        try
        {
            var (code, output) = await PromtoolAsync("check", "rules", rules);
            Assert.True(code == 0, output);
        }
        finally
        {
            File.Delete(rules);
        }

        var documented = await File.ReadAllTextAsync(Path.Combine(Root, "docs", "metrics.md"));
        foreach (var name in exprs.SelectMany(e => MetricName().Matches(e).Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", ""))).Distinct())
        {
            Assert.Contains($"`{name}`", documented, StringComparison.Ordinal);
        }

        Assert.All(["Requests per second", "Error ratio (5xx)", "p95 latency", "Healthy replicas per zone", "Rollout progress", "Traffic weight per version", "Decisions"], t => Assert.Contains(t, titles));
        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
    }

    /// <summary>Runs promtool: on PATH, or where scripts/deps.sh unpacks it.</summary>
    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] args)
    {
        var promtool = Environment.GetEnvironmentVariable("BOLLARD_TEST_PROMTOOL") is { Length: > 0 } configured ? configured
            : File.Exists("/opt/prometheus/usr/bin/promtool") ? "/opt/prometheus/usr/bin/promtool"
            : "promtool";
        var start = new ProcessStartInfo(promtool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"promtool not found ({e.Message}): scripts/deps.sh unpacks it from Debian's prometheus package into /opt/prometheus", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output + await error);
        }
    }

    [GeneratedRegex(@"\bbollard_[a-z_]+")]
    private static partial Regex MetricName();
}

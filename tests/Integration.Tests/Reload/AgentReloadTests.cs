using System.Net;
using System.Text;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Balancer;
using Bollard.Scaler.Runtime;

namespace Bollard.IntegrationTests.Reload;

/// <summary>
/// SIGHUP (what the unit's ExecReload sends) reloads the real `bollard agent`'s files in the same process: the spec
/// files and agent.yaml's balancer settings, with no failed request under load; an invalid file changes nothing; once
/// specs were applied through the API, the files are not read again.
/// </summary>
public sealed class AgentReloadTests
{
    [Fact]
    public async Task A_reload_applies_the_spec_files_and_the_balancer_settings_without_a_failed_request()
    {
        var web = TestEnvironment.UniqueName("web");
        var slow = TestEnvironment.UniqueName("slow");
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Web(web, replicas: 1) });
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync("/")).StartsWith("error", StringComparison.Ordinal), "the web replica answering", TimeSpan.FromSeconds(90));

        await using var load = new SteadyLoad(agent.Balancer, loops: 4, requestsPerLoop: 50_000, limit: TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync(() => load.Succeeded > 200, "the load running");
        await File.WriteAllTextAsync(Path.Combine(agent.Directory, "services", "web.yaml"), Web(web, replicas: 2));
        await File.WriteAllTextAsync(Path.Combine(agent.Directory, "services", "slow.yaml"), Slow(slow));
        await File.AppendAllTextAsync(agent.ConfigFile, "\nbalancer: {connectTimeout: 3s, maxConcurrentRequests: 1, retryAfterSeconds: 7, retries: {max: 1}}\n");
        agent.Signal("HUP");

        await Eventually.TrueAsync(
            () => agent.Output.Any(l => l.Contains("Reloaded: balancer settings changed (connectTimeout, maxConcurrentRequests, retryAfterSeconds, retries.max)", StringComparison.Ordinal)),
            "the reload of the balancer settings in the log");
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count(c => c.Labels[ContainerLabels.Service] == web) == 2, "a second web replica", TimeSpan.FromSeconds(90));
        await Eventually.TrueAsync(async () => (await agent.AskAsync("/slow")) is { } answer && !answer.StartsWith("error", StringComparison.Ordinal), "the new service routed", TimeSpan.FromSeconds(90));
        var afterReload = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded > afterReload + 200, "the load going on after the reload");
        await load.StopAsync();

        Assert.False(agent.HasExited, "the reload must not end the process");
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed of {load.Succeeded + load.Failures.Count}: {string.Join("; ", load.Failures.Take(5))}");

        // The new balancer settings are the ones in force: a service without a limit of its own takes the default of 1
        // now, and the requests over it get the new Retry-After.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => http.GetAsync(new Uri(agent.Balancer, "/slow"))));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.ServiceUnavailable && a.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(7));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task An_invalid_file_changes_nothing_and_specs_applied_through_the_api_stay()
    {
        var web = TestEnvironment.UniqueName("web");
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Web(web, replicas: 1) });
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => !(await agent.AskAsync("/")).StartsWith("error", StringComparison.Ordinal), "the web replica answering", TimeSpan.FromSeconds(90));

        var specFile = Path.Combine(agent.Directory, "services", "web.yaml");
        await File.WriteAllTextAsync(specFile, Web(web, replicas: 2).Replace("port: 8080", "port: eighty", StringComparison.Ordinal));
        agent.Signal("HUP");
        await Eventually.TrueAsync(
            () => agent.Output.SkipWhile(l => !l.Contains("Reload refused, nothing was changed", StringComparison.Ordinal)).Any(l => l.Contains("web.yaml:3", StringComparison.Ordinal) && l.Contains("port", StringComparison.Ordinal)),
            "the refused reload in the log, with the file, line and field");
        Assert.False(agent.HasExited);
        Assert.Single(await agent.RunningContainersAsync());
        Assert.DoesNotContain("error", await agent.AskAsync("/"), StringComparison.Ordinal);

        using (var admin = agent.AdminClient())
        using (var apply = new StringContent(Web(web, replicas: 2), Encoding.UTF8, "text/yaml"))
        {
            (await admin.PostAsync(new Uri("/v1/apply", UriKind.Relative), apply)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count == 2, "the applied two replicas", TimeSpan.FromSeconds(90));
        await File.WriteAllTextAsync(specFile, Web(web, replicas: 1));
        agent.Signal("HUP");
        await Eventually.TrueAsync(() => agent.Output.Any(l => l.Contains("were not read again: specs were applied through the admin API", StringComparison.Ordinal)), "the reload keeping the applied specs");
        Assert.Equal(2, (await agent.RunningContainersAsync()).Count);
    }

    private static string Web(string service, int replicas) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: {replicas}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /, maxConcurrentRequests: 1000{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static string Slow(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 1
        env: {"{"}LATENCY_MS: "500"{"}"}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /slow{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

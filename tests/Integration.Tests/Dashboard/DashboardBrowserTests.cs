using System.Net.Http.Json;
using System.Text.Json;
using Bollard.Cli;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Load;
using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against a real agent with real replicas in three zones (the default
/// engine and the extra engines h2 and h3): sign-in, the overview, a killed replica replaced live, a canary from the CLI
/// moving its weights, pause and resume from the page, and a bad version's rollback with its reason. Screenshots of the
/// states checked go to artifacts/ui/.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Signing_in_shows_the_replicas_by_zone_and_a_killed_one_is_replaced_without_a_reload()
    {
        var service = TestEnvironment.UniqueName("dash");
        await using var agent = ThreeZoneAgent(service, "replicas: 3");
        try
        {
            await agent.StartAsync();
            await Eventually.TrueAsync(async () => await HealthyAsync(agent, service) == 3, "3 healthy replicas", Deadline);
            await using var browser = await DashboardBrowser.LaunchAsync();
            var page = browser.Page;
            await page.GotoAsync(new Uri(agent.Admin, "/ui/").ToString());

            // A wrong token: an error, and no data.
            await browser.SignInAsync("not-the-token-0123456789abcdef");
            await browser.UntilAsync("document.getElementById('signin-error').textContent.includes('not accepted')", "the sign-in error");
            Assert.True(await page.EvaluateAsync<bool>("document.getElementById('app').hidden && !document.getElementById('services')"), "no data shown");
            Assert.DoesNotContain(service, await page.ContentAsync(), StringComparison.Ordinal);
            await browser.ScreenshotAsync("signin-refused");

            // The token: three replicas, one ready in each zone.
            await browser.SignInAsync(File.ReadAllText(agent.TokenFile).Trim());
            await browser.UntilAsync(ReadyPerZone(service, 1), "one ready replica in each of the 3 zones", Deadline);
            Assert.Equal("3 / 3", (await page.Locator($"tr[data-service='{service}'] [data-testid=replica-count]").TextContentAsync())?.Trim());
            await browser.ScreenshotAsync("overview");
            await page.EvaluateAsync("window.sameDocument = true");

            // docker kill of the replica in zone-b: it leaves the page and its replacement arrives, with no reload.
            var victim = await page.EvaluateAsync<string>($"document.querySelector(\"[data-zone='zone-b'] li.replica[data-service='{service}']\").dataset.replica");
            using (var h2 = new DockerClientConfiguration(new Uri(TestEnvironment.EngineEndpoint(TestEnvironment.ZoneEngines()[0]))).CreateClient())
            {
                var id = (await ContainersAsync(h2, agent.Cluster)).Single(c => c.ID.StartsWith(victim, StringComparison.Ordinal)).ID;
                await h2.Containers.KillContainerAsync(id, new ContainerKillParameters());
            }

            await browser.UntilAsync($"!document.querySelector(\"li.replica[data-replica='{victim}']\")", "the killed replica gone from the page", Deadline);
            await browser.UntilAsync(ReadyPerZone(service, 1) + $" && !!document.querySelector(\"[data-zone='zone-b'] li.replica[data-service='{service}'][data-state='ready']:not([data-replica='{victim}'])\")", "its replacement ready in zone-b", Deadline);
            Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was not reloaded");
            await browser.ScreenshotAsync("replaced");
        }
        finally
        {
            await RemoveOnZoneEnginesAsync(agent.Cluster);
        }
    }

    [Fact]
    public async Task A_canary_moves_its_weights_live_pauses_and_resumes_from_the_page_and_a_bad_version_rolls_back_with_its_reason()
    {
        var service = TestEnvironment.UniqueName("dcan");
        const string Canary = """
            replicas: 3
            rollout:
              canary:
                steps: [{setWeight: 20}, {pause: 8s}, {setWeight: 50}, {pause: 8s}]
              analysis: {interval: 2s, minRequests: 10, failureLimit: 1, maxP99: 2s, maxP99Ratio: 20}
            """;
        await using var agent = ThreeZoneAgent(service, Canary);
        try
        {
            await agent.StartAsync();
            await Eventually.TrueAsync(async () => await HealthyAsync(agent, service) == 3, "3 healthy replicas", Deadline);
            await using var load = new BoundedLoad(agent.Balancer, workers: 2, maxRequests: 60_000, maxDuration: TimeSpan.FromSeconds(240), pace: TimeSpan.FromMilliseconds(20));
            await using var browser = await DashboardBrowser.LaunchAsync();
            var page = browser.Page;
            await page.GotoAsync(new Uri(agent.Admin, $"/ui/#/service/{service}").ToString());
            await browser.SignInAsync(File.ReadAllText(agent.TokenFile).Trim());
            await browser.UntilAsync("document.querySelectorAll('#replicas tr[data-state=ready]').length === 3", "the service page with 3 ready replicas", Deadline);

            // The canary, started from the CLI.
            var (code, _, error) = await CliAsync(agent, "rollout", "start", service, "--image", $"{TestEnvironment.SampleImage}:v2");
            Assert.True(code == CommandLine.Ok, error);
            using var admin = agent.AdminClient();
            var to = (await admin.GetFromJsonAsync<JsonElement>($"/v1/services/{service}/rollout")).GetProperty("toVersion").GetString()!;

            await browser.UntilAsync(Weight(service, to, 20), "the canary's weight at 20% on the page", Deadline);
            await browser.ScreenshotAsync("canary-20");

            // Pause from the page, by keyboard: the API confirms, and the audit log names the dashboard.
            await page.FocusAsync("#cmd-pause");
            await page.Keyboard.PressAsync("Enter");
            await browser.UntilAsync("document.getElementById('confirm').open && document.activeElement.id === 'confirm-ok'", "the confirmation, focused");
            await page.Keyboard.PressAsync("Enter");
            await Eventually.TrueAsync(async () => await PhaseAsync(admin, service) == "Paused", "the API reporting the rollout paused");
            await browser.UntilAsync("document.getElementById('rollout').dataset.phase === 'Paused'", "the page showing it paused");
            var audit = await admin.GetStringAsync($"/v1/audit?service={service}");
            Assert.Contains("dashboard via 127.0.0.1", audit, StringComparison.Ordinal);
            await browser.ScreenshotAsync("canary-paused");

            await page.ClickAsync("#cmd-resume");
            await page.ClickAsync("#confirm-ok");
            await Eventually.TrueAsync(async () => await PhaseAsync(admin, service) is "Progressing" or "Succeeded", "the API reporting the rollout resumed");
            await browser.UntilAsync(Weight(service, to, 50), "the canary's weight at 50% on the page", Deadline);
            await browser.ScreenshotAsync("canary-50");
            await browser.UntilAsync(Weight(service, to, 100), "the new version at 100% on the page", Deadline);
            await browser.UntilAsync("document.getElementById('rollout').dataset.phase === 'Succeeded'", "the rollout shown succeeded", Deadline);

            // A bad version (half of its answers 500), applied from the CLI: its rollback appears with its reason.
            var bad = Path.Combine(agent.Directory, "bad.yaml");
            await File.WriteAllTextAsync(bad, Spec(service, Canary, $"{TestEnvironment.SampleImage}:v1", "env: {ERROR_RATE: \"0.5\"}"));
            (code, _, error) = await CliAsync(agent, "apply", "-f", bad);
            Assert.True(code == CommandLine.Ok, error);
            await browser.UntilAsync("document.getElementById('rollout').dataset.phase === 'RolledBack'", "the bad version shown rolled back", Deadline);
            var message = await page.Locator("#rollout-message").TextContentAsync();
            Assert.False(string.IsNullOrWhiteSpace(message), "the rollback's reason is shown");
            var reason = (await admin.GetFromJsonAsync<JsonElement>($"/v1/services/{service}/rollout")).GetProperty("message").GetString()!;
            Assert.Equal(reason, message);
            // Why: the failed analysis (its success rate against the threshold) in the rollout's analysis and the decisions.
            await browser.UntilAsync("/analysis failed: success rate/.test(document.getElementById('analysis').textContent)", "the failed analysis with its numbers in the rollout");
            await browser.UntilAsync("[...document.querySelectorAll('#decisions li')].some(li => /rolling back.*analysis failed/.test(li.textContent))", "the rollback and its reason among the decisions");
            await browser.ScreenshotAsync("rolled-back");
        }
        finally
        {
            await RemoveOnZoneEnginesAsync(agent.Cluster);
        }
    }

    private static AgentProcess ThreeZoneAgent(string service, string more)
    {
        var engines = TestEnvironment.ZoneEngines();
        return new AgentProcess(
            new Dictionary<string, string> { ["web.yaml"] = Spec(service, more, $"{TestEnvironment.SampleImage}:v1", "") },
            extraConfig: $"""
                balancer: {"{"}zones: spread{"}"}
                hosts:
                  - {"{"}name: h1, zone: zone-a, docker: "{TestEnvironment.DockerEndpoint}"{"}"}
                  - {"{"}name: {engines[0]}, zone: zone-b, docker: "{TestEnvironment.EngineEndpoint(engines[0])}"{"}"}
                  - {"{"}name: {engines[1]}, zone: zone-c, docker: "{TestEnvironment.EngineEndpoint(engines[1])}"{"}"}
                """);
    }

    private static string Spec(string service, string more, string image, string env) => $"""
        name: {service}
        image: {image}
        port: 8080
        {env}
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        {more.ReplaceLineEndings("\n")}
        """;

    /// <summary>A page condition: each of the three zones shows exactly <paramref name="count"/> ready replicas of the service.</summary>
    private static string ReadyPerZone(string service, int count) =>
        $"['zone-a','zone-b','zone-c'].every(z => document.querySelectorAll(`[data-zone='${{z}}'] li.replica[data-service='{service}'][data-state='ready']`).length === {count})";

    private static string Weight(string service, string version, int percent) =>
        $"!!document.querySelector(\".weights[data-service='{service}'] .weight[data-version='{version}'][data-weight='{percent}']\")";

    private static async Task<int> HealthyAsync(AgentProcess agent, string service)
    {
        using var admin = agent.AdminClient();
        var status = await admin.GetFromJsonAsync<JsonElement>($"/v1/services/{service}");
        return status.GetProperty("healthyReplicas") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : 0;
    }

    private static async Task<string?> PhaseAsync(HttpClient admin, string service) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/v1/services/{service}/rollout")).GetProperty("phase").GetString();

    private static async Task<(int Code, string Out, string Error)> CliAsync(AgentProcess agent, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var context = new CliContext(output, error, _ => null, TimeProvider.System);
        var code = await CommandLine.RunAsync([.. args, "--server", agent.Admin.ToString().TrimEnd('/'), "--token-file", agent.TokenFile], context, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<IList<ContainerListResponse>> ContainersAsync(DockerClient docker, string cluster) =>
        await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={cluster}"] = true } },
        });

    /// <summary>The agent removes its cluster's containers on the default engine when disposed; these are the other two's.</summary>
    private static async Task RemoveOnZoneEnginesAsync(string cluster)
    {
        foreach (var engine in TestEnvironment.ZoneEngines())
        {
            using var docker = new DockerClientConfiguration(new Uri(TestEnvironment.EngineEndpoint(engine))).CreateClient();
            try
            {
                foreach (var container in await ContainersAsync(docker, cluster))
                {
                    await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
                }
            }
            catch (DockerApiException)
            {
                // Removed meanwhile; .ci/run removes anything left by label.
            }
        }
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Reconcile;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HostConfig = Bollard.Agent.HostConfig;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// Two agents of one cluster (real Docker engines, real Consul): a spec applied with secret values in its env (inline,
/// marked secret, and from an env file on the hosts), rolled out, scaled out, and its controller restarted. The values
/// are found in the containers' own environment and nowhere else: not in labels or anything else `docker inspect`
/// shows, Consul KV (watched all along, so commands in transit count), the catalog, the state directories, the audit
/// log, any API answer, or any log line of either agent.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class SecretMarkerTests
{
    private readonly string _inline = $"inline-{Guid.NewGuid():N}";
    private readonly string _marked = $"marked-{Guid.NewGuid():N}";
    private readonly string _fromFile = $"file-{Guid.NewGuid():N}";

    private IEnumerable<string> Markers => [_inline, _marked, _fromFile];

    [Fact]
    public async Task Secret_values_reach_the_containers_and_nothing_else_through_a_rollout_a_scale_out_and_a_restart()
    {
        var engines = TestEnvironment.ZoneEngines();
        var cluster = TestEnvironment.UniqueName("secrets");
        var service = TestEnvironment.UniqueName("vault");
        var envFile = Path.Combine(Path.GetTempPath(), $"{cluster}.env");
        await File.WriteAllTextAsync(envFile, $"# on every host\nFILE_SECRET={_fromFile}\n");
        File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (logsA, logsB) = (new CapturedLogs(), new CapturedLogs());
        await using var a = Agent(service, cluster, new HostConfig("a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), "127.0.0.1", null), logsA);
        await using var b = Agent(service, cluster, new HostConfig(engines[0], "zone-b", TestEnvironment.EngineEndpoint(engines[0]), "127.0.0.1", null), logsB);
        using var consul = new HttpClient { BaseAddress = TestEnvironment.ConsulAddress };
        var answers = new List<string>();
        using var stopWatching = new CancellationTokenSource();
        var kvLeaks = WatchKeyValueAsync(consul, cluster, stopWatching.Token);
        try
        {
            await Task.WhenAll(a.StartAsync(), b.StartAsync());
            await Eventually.TrueAsync(() => Leads(a) || Leads(b), "a controller", TimeSpan.FromSeconds(30));
            var controller = Leads(a) ? a : b;

            // Applied through the other agent's API: the spec travels to the controller through the state store.
            var other = controller == a ? b : a;
            answers.Add(await PostAsync(other, "v1/apply", Spec(service, "v1", 2, envFile)));
            await Eventually.TrueAsync(async () => await SecretReplicasAsync(a, b, "v1") == 2, "2 replicas of the applied spec, with the values in their environment", TimeSpan.FromSeconds(90));

            // A rollout to v2 (rolling), then a scale-out to 4.
            answers.Add(await PostJsonAsync(controller, $"v1/services/{service}/rollout", new { image = $"{TestEnvironment.SampleImage}:v2" }));
            await Eventually.TrueAsync(async () => await SecretReplicasAsync(a, b, "v2") == 2 && (await AllAsync(a, b)).Count == 2, "the rollout to v2 done", TimeSpan.FromSeconds(120));
            answers.Add(await PostAsync(controller, "v1/plan", Spec(service, "v2", 4, envFile)));
            answers.Add(await PostAsync(controller, "v1/validate", Spec(service, "v2", 4, envFile)));
            answers.Add(await PostAsync(controller, "v1/apply", Spec(service, "v2", 4, envFile)));
            await Eventually.TrueAsync(async () => await SecretReplicasAsync(a, b, "v2") == 4, "4 replicas of v2 with the values", TimeSpan.FromSeconds(90));

            // The controller restarts. The other agent takes over from the sealed records (replacing the stopped
            // host's capacity meanwhile, as for any host that goes away); the restarted agent re-adopts its replicas by
            // their labels: the cluster settles back on 4 replicas of the same version, with no new rollout.
            var version = (await AllAsync(a, b)).Select(c => c.Config.Labels["io.bollard.version"]).Distinct().Single();
            var rollout = other.Services.GetRequiredService<Bollard.Scaler.Deployments.DeploymentStore>();
            await controller.StopAsync();
            await Eventually.TrueAsync(() => Leads(other), "the other agent takes over", TimeSpan.FromSeconds(45));
            await controller.StartAsync();
            await Eventually.TrueAsync(
                async () => other.Services.GetRequiredService<Bollard.Scaler.Hosts.HostSet>().Hosts.Count == 2
                    && other.Services.GetRequiredService<Reconciler>().LastPlan is { IsEmpty: true } plan && plan.Counts.Any(c => c.Service == service && c.Live == 4 && c.Healthy == 4)
                    && await SecretReplicasAsync(a, b, "v2") == 4 && (await AllAsync(a, b)).Count == 4
                    && (await AllAsync(a, b)).All(c => c.Config.Labels["io.bollard.version"] == version),
                "a steady pass over both hosts: 4 replicas of the same version again, with the values",
                TimeSpan.FromSeconds(120));
            var record = await rollout.LoadAsync(service, CancellationToken.None);
            Assert.Equal(version, record!.Stable.Version);
            Assert.Equal(version, record.Rollout!.NewVersion);
            Assert.Contains(_inline, record.Stable.Env.Values.Values);

            foreach (var agent in new[] { a, b })
            {
                foreach (var path in new[] { "v1/services", $"v1/services/{service}", $"v1/services/{service}/decisions", "v1/decisions", "v1/audit", $"v1/services/{service}/rollout", "v1/openapi.json" })
                {
                    answers.Add(await GetAsync(agent, path));
                }
            }

            // Where the values must be: every replica's own environment.
            Assert.Equal(await SecretReplicasAsync(a, b, "v2"), (await AllAsync(a, b)).Count);

            // And nowhere else.
            foreach (var container in await AllAsync(a, b, all: true))
            {
                var inspect = JsonSerializer.SerializeToNode(container)!;
                inspect["Config"]!["Env"] = null;
                AssertNoMarker(inspect.ToJsonString(), $"docker inspect of {container.Name} (its environment aside)");
            }

            stopWatching.Cancel();
            Assert.Empty(await kvLeaks);
            AssertNoMarker(await ConsulTextAsync(consul, $"v1/kv/bollard/{cluster}/?recurse=true"), "Consul KV");
            AssertNoMarker(await ConsulTextAsync(consul, $"v1/catalog/service/{service}"), "the Consul catalog");
            AssertNoMarker(await ConsulTextAsync(consul, "v1/agent/checks"), "the Consul checks");
            foreach (var agent in new[] { a, b })
            {
                foreach (var file in Directory.EnumerateFiles(agent.Config.StateDirectory, "*", SearchOption.AllDirectories))
                {
                    AssertNoMarker(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), $"the state file {file}");
                }
            }

            Assert.Contains(answers, answer => answer.Contains("INLINE_SECRET", StringComparison.Ordinal) || answer.Contains(service, StringComparison.Ordinal));
            answers.ForEach(answer => AssertNoMarker(answer, "an API answer"));
            Assert.NotEmpty(logsA.Lines);
            Assert.NotEmpty(logsB.Lines);
            foreach (var line in logsA.Lines.Concat(logsB.Lines))
            {
                AssertNoMarker(line, "a log line");
            }
        }
        finally
        {
            await stopWatching.CancelAsync();
            await kvLeaks;
            File.Delete(envFile);
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await new ConsulKeyValueStore(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress }).DeleteTreeAsync(ClusterKeys.ClusterPrefix(cluster), CancellationToken.None);
        }
    }

    private static string Spec(string service, string tag, int replicas, string envFile) => $$"""
        name: {{service}}
        image: {{TestEnvironment.SampleImage}}:{{tag}}
        port: 8080
        replicas: {{replicas}}
        env:
          INLINE_SECRET: "{INLINE}"
          MARKED_SECRET: {secret: "{MARKED}"}
          LATENCY_MS: "1"
        envFrom: {file: {{envFile}}}
        health: {interval: 500ms}
        route: {pathPrefix: /}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static AgentFixture Agent(string service, string cluster, HostConfig host, CapturedLogs logs) =>
        new(service, "replicas: 1", TestEnvironment.ConsulAddress, [host], cluster, ControllerMode.Cluster)
        {
            Overrides = services =>
            {
                services.Configure<ClusterOptions>(o =>
                {
                    o.LeaderSessionTtl = ConsulSessions.MinTtl;
                    o.LeaderLockDelay = TimeSpan.Zero;
                });
                services.AddSingleton<ILoggerProvider>(logs);
                services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, null, LogLevel.Trace, null)));
            },
        };

    private static bool Leads(AgentFixture agent)
    {
        try
        {
            return agent.Services.GetRequiredService<LeaderGate>().IsOpen;
        }
        catch (InvalidOperationException)
        {
            return false; // stopped
        }
    }

    private async Task<string> PostAsync(AgentFixture agent, string path, string yaml)
    {
        using var http = Client(agent);
        using var body = new StringContent(Fill(yaml), Encoding.UTF8, "text/yaml");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static async Task<string> PostJsonAsync(AgentFixture agent, string path, object body)
    {
        using var http = Client(agent);
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static async Task<string> GetAsync(AgentFixture agent, string path)
    {
        // Any answer counts, a 404 (a follower knows no rollout) as much as a 200.
        using var http = Client(agent);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    private static HttpClient Client(AgentFixture agent)
    {
        var token = File.ReadAllText(Path.Combine(agent.Config.StateDirectory, AdminToken.DefaultFileName)).Trim();
        var http = new HttpClient { BaseAddress = agent.Admin, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private string Fill(string yaml) => yaml.Replace("{INLINE}", _inline, StringComparison.Ordinal).Replace("{MARKED}", _marked, StringComparison.Ordinal);

    /// <summary>Running replicas of the image tag whose environment holds every value (inline, marked and from the file).</summary>
    private async Task<int> SecretReplicasAsync(AgentFixture a, AgentFixture b, string tag)
    {
        var count = 0;
        foreach (var container in await AllAsync(a, b))
        {
            var env = container.Config.Env ?? [];
            if (container.Config.Labels["io.bollard.image"].EndsWith($":{tag}", StringComparison.Ordinal)
                && env.Contains($"INLINE_SECRET={_inline}") && env.Contains($"MARKED_SECRET={_marked}") && env.Contains($"FILE_SECRET={_fromFile}"))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Every container of the cluster on both agents' engines, inspected.</summary>
    private static async Task<List<ContainerInspectResponse>> AllAsync(AgentFixture a, AgentFixture b, bool all = false)
    {
        var found = new List<ContainerInspectResponse>();
        foreach (var engine in a.Engines.Concat(b.Engines))
        {
            var listed = await engine.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = all,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.bollard.cluster={a.Config.Cluster}"] = true } },
            });
            foreach (var container in listed)
            {
                try
                {
                    found.Add(await engine.Containers.InspectContainerAsync(container.ID));
                }
                catch (DockerContainerNotFoundException)
                {
                    // Removed between the list and the inspection.
                }
            }
        }

        return found;
    }

    /// <summary>Reads the cluster's KV tree every 50 ms until cancelled; returns the keys whose value ever held a marker.</summary>
    private async Task<List<string>> WatchKeyValueAsync(HttpClient consul, string cluster, CancellationToken cancellationToken)
    {
        var leaks = new List<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await consul.GetAsync(new Uri($"v1/kv/bollard/{cluster}/?recurse=true", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    foreach (var entry in JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.EnumerateArray())
                    {
                        var value = entry.GetProperty("Value").GetString() is { } base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(base64)) : "";
                        if (Markers.Any(m => value.Contains(m, StringComparison.Ordinal)))
                        {
                            leaks.Add(entry.GetProperty("Key").GetString()!);
                        }
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return leaks;
    }

    /// <summary>Consul's answer with every base64 value decoded, so a marker inside a value is seen.</summary>
    private static async Task<string> ConsulTextAsync(HttpClient consul, string path)
    {
        var text = await consul.GetStringAsync(new Uri(path, UriKind.Relative));
        var decoded = new StringBuilder(text);
        if (text.StartsWith('['))
        {
            foreach (var entry in JsonDocument.Parse(text).RootElement.EnumerateArray())
            {
                if (entry.TryGetProperty("Value", out var value) && value.GetString() is { } base64)
                {
                    decoded.Append('\n').Append(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
                }
            }
        }

        return decoded.ToString();
    }

    private void AssertNoMarker(string text, string where)
    {
        foreach (var marker in Markers)
        {
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"a secret value is in {where}: {text[Math.Max(0, text.IndexOf(marker, StringComparison.Ordinal) - 200)..Math.Min(text.Length, text.IndexOf(marker, StringComparison.Ordinal) + 100)]}");
        }
    }
}

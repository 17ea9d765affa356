using Bollard.Agent;
using Bollard.Cli;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Deployments;
using Bollard.IntegrationTests.Docker;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Specs;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using HostConfig = Bollard.Agent.HostConfig;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Two agents of one cluster with the real Consul agent: one on the default engine (the controller), one on an engine
/// started empty, standing for a new host that never had any image. A registry image reaches it by digest (pulled
/// there through a command, with its own agent's credentials) and so does a rollout to a new version; a locally
/// built image, which no registry serves, runs only where it is, and the host without it is left out and named.
/// </summary>
[Collection(EmptyEngines.Name)]
public sealed class ClusterImageTests(EmptyEngine empty) : IAsyncLifetime
{
    private readonly string _registry = TestEnvironment.Registry();

    public Task InitializeAsync() => empty.EmptyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registry_image_and_a_rollout_of_it_reach_a_host_that_never_had_them_by_digest()
    {
        var v1 = $"{_registry}/{TestEnvironment.SampleImage}:v1";
        var v2 = $"{_registry}/{TestEnvironment.SampleImage}:v2";
        var (v1Pin, v2Pin) = (await DockerImagePullTests.RegistryDigestAsync(v1), await DockerImagePullTests.RegistryDigestAsync(v2));
        var cluster = TestEnvironment.UniqueName("cimg");
        var service = TestEnvironment.UniqueName("cimg");
        await using var controller = Agent(service, cluster, "a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), v1);
        await using var fresh = Agent(service, cluster, empty.Name, "zone-b", empty.Endpoint, v1);
        try
        {
            await StartInOrderAsync(controller, fresh);

            // One replica per host: the new host pulled v1 by its digest (a decision of the controller's) and runs it.
            await Eventually.TrueAsync(
                async () => await RunningImagesAsync(controller) is [var a] && a == await ImageIdAsync(v1Pin) && await RunningImagesAsync(fresh) is [var e] && e == a,
                "one replica of v1 on each host, the new host's from the pulled digest",
                TimeSpan.FromSeconds(90));
            Assert.Contains(Decisions(controller, service), d => d.Action == "pull" && d.Subject == v1Pin && d.Reason.EndsWith($"[host {empty.Name}]", StringComparison.Ordinal) && d.Outcome.StartsWith("ok: pulled in", StringComparison.Ordinal));
            await Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(fresh, 20)).SetEquals(["v1"]), "the new host's balancer answering v1");

            // A rollout to v2 through the controller: pinned by the registry's digest, pulled on the new host too.
            var control = controller.Services.GetRequiredService<IControlPlane>();
            await control.ApplyAsync([new SpecFile($"{service}.yaml", Spec(service, v1))], "test", CancellationToken.None);
            await control.StartRolloutAsync(service, new RolloutRequest(v2, null), "test", CancellationToken.None);
            Assert.Equal(v2Pin, (await control.GetServiceAsync(service, CancellationToken.None))!.PinnedImage);
            var v2Id = await ImageIdAsync(v2Pin);
            await Eventually.TrueAsync(
                async () => await RunningImagesAsync(controller) is [var a] && a == v2Id && await RunningImagesAsync(fresh) is [var e] && e == v2Id,
                "the rollout done: one replica of v2 on each host",
                TimeSpan.FromSeconds(120));
            Assert.Contains(Decisions(controller, service), d => d.Action == "pull" && d.Subject == v2Pin && d.Reason.EndsWith($"[host {empty.Name}]", StringComparison.Ordinal) && d.Outcome.StartsWith("ok: pulled in", StringComparison.Ordinal));
            Assert.DoesNotContain(Decisions(controller, service), d => d.Action == "create" && d.Outcome != "ok");
            await Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(fresh, 20)).SetEquals(["v2"]), "the new host's balancer answering v2 only");
        }
        finally
        {
            await DeleteClusterKeysAsync(cluster);
        }
    }

    [Fact]
    public async Task A_locally_built_image_runs_only_where_it_is_and_the_host_without_it_is_left_out_and_named()
    {
        var image = $"{TestEnvironment.SampleImage}:v1";
        var cluster = TestEnvironment.UniqueName("cloc");
        var service = TestEnvironment.UniqueName("cloc");
        await using var controller = Agent(service, cluster, "a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), image);
        await using var fresh = Agent(service, cluster, empty.Name, "zone-b", empty.Endpoint, image);
        try
        {
            await StartInOrderAsync(controller, fresh);
            var id = await ImageIdAsync(image);

            // Both replicas on the host that holds the image; the other one is named, with the image, in status.
            var control = controller.Services.GetRequiredService<IControlPlane>();
            await Eventually.TrueAsync(
                async () => (await RunningImagesAsync(controller)).Count == 2
                    && (await control.GetServiceAsync(service, CancellationToken.None))!.MissingImages is [{ State: "unobtainable" } missing] && missing.Host == empty.Name,
                "2 replicas on the host holding the image, the other host named as lacking it",
                TimeSpan.FromSeconds(90));
            var status = (await control.GetServiceAsync(service, CancellationToken.None))!;
            Assert.Equal(id, status.PinnedImage);
            Assert.Equal(id, Assert.Single(status.MissingImages!).Image);
            Assert.Contains($"image missing: host {empty.Name} lacks {id}", StatusVerbs.FormatService(status), StringComparison.Ordinal);

            // More passes change nothing: no create, no pull, ever, on the host without the image; said once.
            var reconciler = controller.Services.GetRequiredService<Reconciler>();
            for (var i = 0; i < 3; i++)
            {
                await reconciler.ReconcileOnceAsync(CancellationToken.None);
            }

            Assert.Empty(await RunningImagesAsync(fresh));
            Assert.DoesNotContain(await empty.Client.Images.ListImagesAsync(new ImagesListParameters()), i => i.ID == id);
            var decisions = Decisions(controller, service);
            Assert.DoesNotContain(decisions, d => d.Action is "create" or "pull" && d.Reason.EndsWith($"[host {empty.Name}]", StringComparison.Ordinal));
            var leftOut = Assert.Single(decisions, d => d.Action == "place");
            Assert.Equal((empty.Name, "host left out"), (leftOut.Subject, leftOut.Outcome));
        }
        finally
        {
            await DeleteClusterKeysAsync(cluster);
        }
    }

    private static string Spec(string service, string image) => $"""
        name: {service}
        image: {image}
        port: 8080
        replicas: 2
        health:
          interval: 500ms
        route:
          pathPrefix: /
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;

    private static AgentFixture Agent(string service, string cluster, string host, string zone, string endpoint, string image) =>
        new(service, "replicas: 2", TestEnvironment.ConsulAddress, [new HostConfig(host, zone, endpoint, "127.0.0.1", null)], cluster, ControllerMode.Cluster)
        {
            Specs = SpecLoader.LoadTexts([($"{service}.yaml", Spec(service, image))]),
            Overrides = services => services.Configure<ClusterOptions>(o =>
            {
                o.LeaderSessionTtl = ConsulSessions.MinTtl;
                o.LeaderLockDelay = TimeSpan.Zero;
            }),
        };

    /// <summary>The first agent takes the lock before the second starts, so the new host is a remote one (reports and
    /// commands through Consul), as a host joining a running cluster is.</summary>
    private static async Task StartInOrderAsync(AgentFixture controller, AgentFixture joining)
    {
        await controller.StartAsync();
        await Eventually.TrueAsync(() => controller.Services.GetRequiredService<LeaderGate>().IsOpen, "the first agent controls the cluster", TimeSpan.FromSeconds(30));
        await joining.StartAsync();
    }

    /// <summary>The image ids of the running containers of the agent's cluster on the agent's own engine.</summary>
    private static async Task<List<string>> RunningImagesAsync(AgentFixture agent)
    {
        var containers = await agent.Engines[0].Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"io.bollard.cluster={agent.Config.Cluster}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        return [.. containers.Select(c => c.ImageID)];
    }

    /// <summary>The content id of an image on the default engine (the same on every engine holding that content).</summary>
    private static async Task<string> ImageIdAsync(string reference)
    {
        using var docker = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
        return (await docker.Images.InspectImageAsync(reference)).ID;
    }

    private static IReadOnlyList<Decision> Decisions(AgentFixture agent, string service) =>
        agent.Services.GetRequiredService<DecisionLog>().Read(service);

    private static async Task DeleteClusterKeysAsync(string cluster)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await new ConsulKeyValueStore(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress }).DeleteTreeAsync(ClusterKeys.ClusterPrefix(cluster), CancellationToken.None);
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Text.Json;
using Bollard.Agent;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Cluster;
using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HostConfig = Bollard.Agent.HostConfig;

namespace Bollard.IntegrationTests.Security;

/// <summary>
/// The cluster's command channel runs only the controller's commands. Two agents of one cluster with the real Consul
/// agent, each on its own engine; the test writes commands for the non-controller's host as anyone who may write
/// Consul KV can: with a session of its own, with none, and (borrowing the controller's session, which anyone who can
/// read the leader key can) naming a container of another cluster, an image no spec names, or an address of its own
/// to register, or a deregistration of another service's replica. Each is refused and answered with the reason, nothing
/// runs. What the controller sends from a report a moment old is answered as done: a stop of a container gone from the
/// engine (nothing run), the deregistration of a replica whose container is gone (its lingering registration removed).
/// The controller's own commands still run: a replica killed on that host is replaced there through the same channel.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ForgedCommandTests
{
    private const string Marker = "forged-marker-5f1c2e";

    [Fact]
    public async Task Forged_commands_are_refused_and_answered_and_the_controllers_still_run()
    {
        var engines = TestEnvironment.ZoneEngines();
        var cluster = TestEnvironment.UniqueName("forge");
        var service = TestEnvironment.UniqueName("forge");
        var logs = new RecordingLoggerProvider();
        await using var a = Agent(service, cluster, new HostConfig("a1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), "127.0.0.1", null), logs);
        await using var b = Agent(service, cluster, new HostConfig(engines[0], "zone-b", TestEnvironment.EngineEndpoint(engines[0]), "127.0.0.1", null), logs);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var kv = new ConsulKeyValueStore(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress });
        var sessions = new ConsulSessions(http, new ConsulOptions { Address = TestEnvironment.ConsulAddress });
        string? ownSession = null;
        var lingering = $"{service}-{new string('e', 12)}";
        (DockerClient Engine, string Id)? foreign = null;
        try
        {
            await Task.WhenAll(a.StartAsync(), b.StartAsync());
            await Eventually.TrueAsync(async () => await RunningIdsAsync(a) is [_] && await RunningIdsAsync(b) is [_], "one replica on each host", TimeSpan.FromSeconds(60));
            var (leader, follower) = Leads(a) ? (a, b) : (b, a);
            var target = follower.Config.Hosts[0];
            var engine = follower.Engines[0];
            var before = await RunningIdsAsync(follower);
            var leaderSession = (await kv.GetAsync(ClusterKeys.Leader(cluster), CancellationToken.None))!.Session!;
            var foreignId = await StartForeignContainerAsync(engine);
            foreign = (engine, foreignId);
            ownSession = await sessions.CreateAsync("forger", ConsulSessions.MinTtl, TimeSpan.Zero, ConsulSessionBehavior.Delete, null, CancellationToken.None);

            var allowedImage = $"{TestEnvironment.SampleImage}:v1";
            string Key(string name) => ClusterKeys.Command(cluster, target.Name, $"forged-{name}");
            var forged = new (string Key, HostCommand Command, string? Session, string Reason)[]
            {
                (Key("own-session"), Create(cluster, allowedImage), ownSession, "not by the session that holds the controller lock"),
                (Key("no-session"), Create(cluster, allowedImage), null, "held by no session"),
                (Key("foreign-stop"), new HostCommand("f3", HostCommandKind.Stop) { ContainerId = foreignId, GracePeriod = TimeSpan.Zero }, leaderSession, $"no container {foreignId} of cluster {cluster}"),
                (Key("foreign-remove"), new HostCommand("f4", HostCommandKind.Remove) { ContainerId = foreignId }, leaderSession, $"no container {foreignId} of cluster {cluster}"),
                (Key("other-image"), Create(cluster, $"{TestEnvironment.SampleImage}:v2"), leaderSession, $"image {TestEnvironment.SampleImage}:v2 is not named"),
                (Key("other-pull"), new HostCommand("f6", HostCommandKind.Pull) { Image = "127.0.0.1:1/miner@sha256:" + new string('0', 64) }, leaderSession, "is not named by any applied spec"),
                (Key("other-cluster"), Create("someone-else", allowedImage), leaderSession, $"labels of cluster {cluster}"),
                (Key("fake-register"), Register(service, before[0]), leaderSession, "does not match its replica"),
                (Key("other-deregister"), new HostCommand("f8", HostCommandKind.Deregister) { InstanceId = "payments-0123456789ab" }, leaderSession, "is not a replica of cluster"),
            };
            // A stop of a container the engine does not hold at all is done already (the controller's view of a host
            // lags by a report): answered as done, nothing run.
            var gone = (Key("gone-stop"), new HostCommand("f9", HostCommandKind.Stop) { ContainerId = new string('e', 64) });
            Assert.True(await kv.TryAcquireAsync(gone.Item1, leaderSession, ClusterJson.Write(new HostCommandEntry(gone.Item2, null)), CancellationToken.None));

            // A registration of a replica of the service whose container the engine no longer holds outlives it in the
            // host's catalog: the controller's deregistration of it runs.
            await RegisterInCatalogAsync(http, lingering, service);
            var deregister = (Key("gone-deregister"), new HostCommand("f10", HostCommandKind.Deregister) { InstanceId = lingering });
            Assert.True(await kv.TryAcquireAsync(deregister.Item1, leaderSession, ClusterJson.Write(new HostCommandEntry(deregister.Item2, null)), CancellationToken.None));
            foreach (var (key, command, session, _) in forged)
            {
                var value = ClusterJson.Write(new HostCommandEntry(command, null));
                Assert.True(session is null ? await kv.TryPutAsync(key, value, 0, CancellationToken.None) : await kv.TryAcquireAsync(key, session, value, CancellationToken.None));
            }

            // Each is answered in its own key: refused, with the reason; none ran.
            foreach (var (key, _, _, reason) in forged)
            {
                HostCommandResult? result = null;
                await Eventually.TrueAsync(
                    async () => (result = ClusterJson.Read<HostCommandEntry>((await kv.GetAsync(key, CancellationToken.None))!.Value)?.Result) is not null,
                    $"an answer in {key}",
                    TimeSpan.FromSeconds(30));
                Assert.Equal(HostCommandFailure.Refused, result!.Failure);
                Assert.Contains(reason, result.Error, StringComparison.Ordinal);
                Assert.StartsWith($"refused by host {target.Name}'s agent", result.Error, StringComparison.Ordinal);
            }

            await Eventually.TrueAsync(
                async () => ClusterJson.Read<HostCommandEntry>((await kv.GetAsync(gone.Item1, CancellationToken.None))!.Value)?.Result is { Succeeded: true },
                "the stop of a container that is gone answered as done",
                TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(
                async () => ClusterJson.Read<HostCommandEntry>((await kv.GetAsync(deregister.Item1, CancellationToken.None))!.Value)?.Result is { Succeeded: true },
                "the deregistration of a replica that is gone answered as done",
                TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(await CatalogAsync(service), e => e.Id == lingering);
            // Every container of the cluster there is the controller's (named by it); a replica it replaces meanwhile (a
            // health check timing out on a loaded machine) is no forged create.
            var names = (await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = LabelFilter(cluster) })).SelectMany(c => c.Names).ToList();
            Assert.All(names, n => Assert.StartsWith($"/bollard-{cluster}-{service}-", n, StringComparison.Ordinal));
            Assert.Empty(await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = NameFilter("bollard-forged") }));
            Assert.True((await engine.Containers.InspectContainerAsync(foreignId)).State.Running);
            Assert.DoesNotContain(await CatalogAsync(service), e => e.Address == "203.0.113.9");
            var refusals = logs.Lines.Where(l => l.Contains("not run: refused by host", StringComparison.Ordinal)).ToList();
            Assert.True(refusals.Count == forged.Length && forged.All(f => refusals.Any(r => r.Contains(f.Key, StringComparison.Ordinal))), $"one refusal logged per forged command:\n{string.Join('\n', refusals)}");
            Assert.DoesNotContain(logs.Lines, l => l.Contains(Marker, StringComparison.Ordinal));

            // The controller's own commands still run on that host: a replica killed there is replaced there.
            await engine.Containers.KillContainerAsync(before[0], new ContainerKillParameters());
            await Eventually.TrueAsync(
                async () => await RunningIdsAsync(follower) is [var replacement] && replacement != before[0] && (await CatalogAsync(service)).Count == 2,
                "the killed replica replaced on its host by the controller's commands, and registered",
                TimeSpan.FromSeconds(60));
            Assert.True(Leads(leader));
        }
        finally
        {
            if (ownSession is not null)
            {
                await sessions.DestroyAsync(ownSession, CancellationToken.None);
            }

            if (foreign is var (foreignEngine, id))
            {
                await foreignEngine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }

            await kv.DeleteTreeAsync($"bollard/{cluster}/", CancellationToken.None);
            (await http.PutAsync(new Uri(TestEnvironment.ConsulAddress, $"/v1/agent/service/deregister/{lingering}"), null)).Dispose();
        }
    }

    private static AgentFixture Agent(string service, string cluster, HostConfig host, RecordingLoggerProvider logs) =>
        new(service, "replicas: 2", TestEnvironment.ConsulAddress, [host], cluster, ControllerMode.Cluster)
        {
            Overrides = services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.Configure<ClusterOptions>(o =>
                {
                    o.LeaderSessionTtl = ConsulSessions.MinTtl;
                    o.LeaderLockDelay = TimeSpan.Zero;
                });
            },
        };

    /// <summary>A create the host would run if the controller had sent it: its cluster's labels, its publish address.</summary>
    private static HostCommand Create(string cluster, string image) => new("forged-create", HostCommandKind.Create)
    {
        Create = new ContainerCreateRequest($"bollard-forged-{Guid.NewGuid():N}", image, 8080, "127.0.0.1")
        {
            Labels = ImmutableDictionary<string, string>.Empty
                .Add(ContainerLabels.ManagedBy, ContainerLabels.ManagedByValue)
                .Add(ContainerLabels.Cluster, cluster)
                .Add(ContainerLabels.Service, "miner"),
            Environment = ImmutableDictionary<string, string>.Empty.Add("FORGED_SECRET", Marker),
        },
    };

    /// <summary>A real replica's registration, sending its traffic to an address of the forger's.</summary>
    private static HostCommand Register(string service, string replica) => new("forged-register", HostCommandKind.Register)
    {
        Registration = new ServiceRegistration(
            $"{service}-{replica[..12]}",
            service,
            "203.0.113.9",
            80,
            "zone-b",
            "v1",
            new HealthCheckRegistration(new Uri("http://203.0.113.9/health"), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1))),
    };

    /// <summary>A container on the host's engine that belongs to another cluster (labelled with the run, for clean-up).</summary>
    private static async Task<string> StartForeignContainerAsync(DockerClient engine)
    {
        var created = await engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = TestEnvironment.UniqueName("foreign"),
            Image = $"{TestEnvironment.SampleImage}:v1",
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.ManagedBy] = ContainerLabels.ManagedByValue,
                [ContainerLabels.Cluster] = TestEnvironment.UniqueName("other"),
            },
        });
        await engine.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private static bool Leads(AgentFixture agent) => agent.Services.GetRequiredService<LeaderGate>().IsOpen;

    private static Dictionary<string, IDictionary<string, bool>> LabelFilter(string cluster) =>
        new() { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={cluster}"] = true } };

    private static Dictionary<string, IDictionary<string, bool>> NameFilter(string name) =>
        new() { ["name"] = new Dictionary<string, bool> { [name] = true } };

    private static async Task<List<string>> RunningIdsAsync(AgentFixture agent) =>
        [.. (await agent.Engines[0].Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={agent.Config.Cluster}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        })).Select(c => c.ID).Order(StringComparer.Ordinal)];

    /// <summary>Registers an instance of the service in the Consul agent directly, as a replica's registration that outlived its container.</summary>
    private static async Task RegisterInCatalogAsync(HttpClient http, string id, string service)
    {
        using var response = await http.PutAsJsonAsync(new Uri(TestEnvironment.ConsulAddress, "/v1/agent/service/register"), new { ID = id, Name = service, Address = "127.0.0.1", Port = 1 });
        response.EnsureSuccessStatusCode();
        Assert.Contains(await CatalogAsync(service), e => e.Id == id);
    }

    /// <summary>The service's instances in the catalog (any health), with the address each is registered at.</summary>
    private static async Task<List<(string Id, string Address)>> CatalogAsync(string service)
    {
        using var http = new HttpClient();
        var entries = await http.GetFromJsonAsync<JsonElement>(new Uri(TestEnvironment.ConsulAddress, $"/v1/health/service/{service}"));
        return [.. entries.EnumerateArray().Select(e => (e.GetProperty("Service").GetProperty("ID").GetString()!, e.GetProperty("Service").GetProperty("Address").GetString()!))];
    }

    /// <summary>Every line the agents log, formatted, for the test to look into.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Recorder(_lines);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}

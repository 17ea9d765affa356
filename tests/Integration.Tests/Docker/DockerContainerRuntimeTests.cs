using System.Diagnostics;
using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Docker;

/// <summary>The Docker adapter against the real engine and the sample image (scripts/build-images.sh builds it).</summary>
public sealed class DockerContainerRuntimeTests : IAsyncLifetime
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private DockerTestEngine engine = null!;

    public async Task InitializeAsync() => engine = await DockerTestEngine.StartAsync();

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        http.Dispose();
    }

    [Fact]
    public async Task A_started_replica_is_listed_with_its_labels_and_answers_on_its_loopback_port()
    {
        var request = engine.SampleRequest(service: "web", version: "v1", zone: "zone-a");

        var started = await engine.Runtime.CreateAndStartAsync(request, CancellationToken.None);

        Assert.Equal(ContainerRunState.Running, started.State);
        Assert.Equal("127.0.0.1", started.HostAddress);
        Assert.NotNull(started.HostPort);
        var listed = Assert.Single(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
        Assert.Equal(started.Id, listed.Id);
        Assert.Equal(request.Name, listed.Name);
        Assert.Equal(("web", "v1", "zone-a"), (listed.Service, listed.Version, listed.Zone));
        Assert.Equal(ContainerRunState.Running, listed.State);
        Assert.Equal(("127.0.0.1", started.HostPort), (listed.HostAddress, listed.HostPort));
        Assert.Equal("8080", listed.Labels[ContainerLabels.ContainerPort]);
        Assert.InRange(listed.Created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var reply = await Eventually.ValueAsync(
            () => SampleReply.GetAsync(http, listed.HostAddress, listed.HostPort!.Value, "/orders/1"),
            r => r is not null,
            $"the replica to answer on 127.0.0.1:{listed.HostPort}");
        Assert.Equal(new SampleReply(started.ShortId, "v1", "zone-a", "/orders/1"), reply);
    }

    [Fact]
    public async Task A_v2_replica_reports_the_version_baked_into_its_image()
    {
        var started = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(version: "v2"), CancellationToken.None);

        var reply = await Eventually.ValueAsync(
            () => SampleReply.GetAsync(http, started.HostAddress, started.HostPort!.Value),
            r => r is not null,
            "the v2 replica to answer");
        Assert.Equal("v2", reply!.Version);
    }

    [Fact]
    public async Task The_limits_and_restart_policy_of_the_request_reach_the_engine()
    {
        var started = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(), CancellationToken.None);

        var inspect = await engine.Client.Containers.InspectContainerAsync(started.Id);
        Assert.Equal(500_000_000, inspect.HostConfig.NanoCPUs);
        Assert.Equal(256L * 1024 * 1024, inspect.HostConfig.Memory);
        Assert.Equal(RestartPolicyKind.No, inspect.HostConfig.RestartPolicy.Name);
    }

    [Fact]
    public async Task A_killed_replica_shows_up_as_a_die_event_and_as_stopped()
    {
        var started = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(), CancellationToken.None);
        await using var recorder = new EventRecorder(engine.Runtime, engine.Cluster);

        // The stream's subscription is not observable: poke the replica with a harmless signal (a "kill" event that
        // .NET ignores) until one arrives, so the real kill below cannot happen before the subscription.
        await Eventually.TrueAsync(
            async () =>
            {
                await engine.Client.Containers.KillContainerAsync(started.Id, new ContainerKillParameters { Signal = "SIGWINCH" });
                return await Within(TimeSpan.FromMilliseconds(500), () => recorder.SawAny(started.Id));
            },
            "the event stream to deliver an event of the replica");

        await engine.Client.Containers.KillContainerAsync(started.Id, new ContainerKillParameters { Signal = "SIGKILL" });

        await Eventually.TrueAsync(() => recorder.Saw(started.Id, "die"), "a die event of the killed replica");
        var listed = Assert.Single(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
        Assert.Equal(ContainerRunState.Stopped, listed.State);
        Assert.Null(listed.HostPort);
        Assert.All(recorder.All, e => Assert.Equal("web", e.Service));
    }

    [Fact]
    public async Task Stop_then_remove_leaves_nothing_and_both_tolerate_a_missing_container()
    {
        var started = await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(), CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await SampleReply.GetAsync(http, started.HostAddress, started.HostPort!.Value) is not null,
            "the replica to answer before it is stopped");

        // A serving replica exits on SIGTERM well within its grace period instead of being killed at its end.
        var stopping = Stopwatch.StartNew();
        await engine.Runtime.StopAsync(started.Id, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var stopped = Assert.Single(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
        Assert.Equal(ContainerRunState.Stopped, stopped.State);
        await engine.Runtime.RemoveAsync(started.Id, CancellationToken.None);

        Assert.Empty(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => engine.Client.Containers.InspectContainerAsync(started.Id));
        await engine.Runtime.StopAsync(started.Id, TimeSpan.FromSeconds(1), CancellationToken.None);
        await engine.Runtime.RemoveAsync(started.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Other_clusters_are_not_listed()
    {
        await engine.Runtime.CreateAndStartAsync(engine.SampleRequest(), CancellationToken.None);

        Assert.Empty(await engine.Runtime.ListManagedAsync(TestEnvironment.UniqueName("other"), CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_image_is_refused_with_its_name_and_leaves_no_container()
    {
        var request = engine.SampleRequest() with { Image = $"{TestEnvironment.SampleImage}:no-such-tag" };

        var error = await Assert.ThrowsAsync<ContainerOperationException>(
            () => engine.Runtime.CreateAndStartAsync(request, CancellationToken.None));

        Assert.Contains($"'{TestEnvironment.SampleImage}:no-such-tag'", error.Message, StringComparison.Ordinal);
        Assert.Contains("build or load it first", error.Message, StringComparison.Ordinal);
        Assert.Empty(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_start_removes_the_created_container()
    {
        // An address that is not on this host (TEST-NET-1): the engine creates the container, then cannot bind.
        var request = engine.SampleRequest(service: "unbindable") with { PublishAddress = "192.0.2.1" };

        var error = await Assert.ThrowsAsync<ContainerOperationException>(
            () => engine.Runtime.CreateAndStartAsync(request, CancellationToken.None));

        Assert.Contains("start", error.Message, StringComparison.Ordinal);
        Assert.Empty(await engine.Runtime.ListManagedAsync(engine.Cluster, CancellationToken.None));
    }

    /// <summary>Whether the condition becomes true within a short limit; false (not a failure) when it does not.</summary>
    private static async Task<bool> Within(TimeSpan limit, Func<bool> condition)
    {
        try
        {
            await Eventually.TrueAsync(condition, "a short wait", limit);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

using Bollard.IntegrationTests.Agent;

namespace Bollard.IntegrationTests.Security;

/// <summary>Replicas run with the least privilege that works: what `docker inspect` shows, and the sample app serving under it.</summary>
public sealed class ReplicaHardeningTests
{
    [Fact]
    public async Task By_default_a_replica_runs_without_new_privileges_or_capabilities_under_a_pid_limit()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("harden"), replicas: 1);
        await agent.StartAsync();

        var inspect = await ServingReplicaAsync(agent);

        Assert.Equal(["no-new-privileges"], inspect.HostConfig.SecurityOpt);
        Assert.Equal(["ALL"], inspect.HostConfig.CapDrop);
        Assert.True(inspect.HostConfig.CapAdd is null or { Count: 0 });
        Assert.Equal(1024, inspect.HostConfig.PidsLimit);
        Assert.False(inspect.HostConfig.ReadonlyRootfs);
    }

    [Fact]
    public async Task The_spec_security_block_runs_the_sample_app_as_another_user_on_a_read_only_root()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("readonly"), """
            replicas: 1
            security:
              user: "65534:65534"
              readOnlyRootFilesystem: true
              capabilities: {add: [NET_BIND_SERVICE]}
              tmpfs: [{path: /tmp, size: 16Mi}]
            resources: {pids: 256}
            """);
        await agent.StartAsync();

        var inspect = await ServingReplicaAsync(agent);

        Assert.Equal("65534:65534", inspect.Config.User);
        Assert.True(inspect.HostConfig.ReadonlyRootfs);
        Assert.Equal(["NET_BIND_SERVICE"], inspect.HostConfig.CapAdd);
        Assert.Equal(["ALL"], inspect.HostConfig.CapDrop);
        Assert.Equal(["no-new-privileges"], inspect.HostConfig.SecurityOpt);
        Assert.Equal(256, inspect.HostConfig.PidsLimit);
        Assert.Equal("rw,nosuid,nodev,size=16777216", inspect.HostConfig.Tmpfs["/tmp"]);
    }

    /// <summary>Waits until the service answers through the balancer, then inspects the replica that answered.</summary>
    private static async Task<global::Docker.DotNet.Models.ContainerInspectResponse> ServingReplicaAsync(AgentFixture agent)
    {
        var answered = await Eventually.ValueAsync(
            async () => (await agent.AskAsync(1)).Single(),
            id => !id.StartsWith("error", StringComparison.Ordinal),
            "the replica answering through the balancer",
            TimeSpan.FromSeconds(60));
        var container = Assert.Single(await agent.RunningContainersAsync());
        Assert.StartsWith(answered, container.ID, StringComparison.Ordinal);
        return await agent.Docker.Containers.InspectContainerAsync(container.ID);
    }
}

using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Discovery;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests.Balancer;

/// <summary>
/// The real agent (real Docker, real catalog, real balancer on loopback) under steady bounded load while replicas
/// fail: no request the client sends may fail.
/// </summary>
public sealed class BalancerResilienceTests
{
    [Fact]
    public async Task A_replica_killed_under_load_fails_no_idempotent_request()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("kill"), replicas: 3);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(30)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 3, "3 replicas serving");

        // Bounds sized for a loaded shared machine (the sample app may then serve only ~100 req/s): the load stops by
        // itself after 2 minutes, and a step that cannot finish in time fails as a timeout, never as a lost request.
        await using var load = new SteadyLoad(agent.Balancer, limit: TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => load.Succeeded >= 200, "load running");
        var victim = (await agent.RunningContainersAsync())[0].ID;
        await agent.Docker.Containers.KillContainerAsync(victim, new ContainerKillParameters());
        var killedAt = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= killedAt + 1000, "1000 more requests served after the kill", TimeSpan.FromSeconds(90));
        await load.StopAsync();

        Assert.Empty(load.Failures);
    }

    [Fact]
    public async Task A_consul_outage_leaves_the_balancer_serving()
    {
        using var consul = await ConsulTestAgent.StartAsync();
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("outage"), replicas: 2, consul.Address);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(20)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 2, "2 replicas serving through Consul");

        await using var load = new SteadyLoad(agent.Balancer, loops: 2);
        await Eventually.TrueAsync(() => load.Succeeded >= 100, "load running");
        consul.Kill();
        var killedAt = load.Succeeded;
        await Eventually.TrueAsync(() => load.Succeeded >= killedAt + 500, "500 more requests served without Consul");
        await load.StopAsync();

        Assert.Empty(load.Failures);
    }
}

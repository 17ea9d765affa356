using System.Diagnostics;
using Bollard.Agent;
using Bollard.Discovery;
using Bollard.IntegrationTests.Agent;
using Bollard.IntegrationTests.Load;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.IntegrationTests.Scaler;

/// <summary>
/// The scaler with real engines standing for three zones (the default engine and two started by scripts/engines.sh),
/// the real balancer and the sample app. The tests of this class run one after the other: one stops an engine.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ZonesAndAutoscalingTests
{
    [Fact]
    public async Task A_load_step_scales_out_across_zones_and_back_in_without_failed_requests()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("auto"), """
            replicas: {min: 3, max: 9}
            autoscaling:
              metrics:
                - {type: rps, target: 30}
              scaleDown: {stabilization: 5s, period: 5s}
            """, hosts: ThreeZones());
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => await Serving(agent) == 3, "3 replicas, one per zone, serving");
        Assert.Equal(["zone-a", "zone-b", "zone-c"], (await agent.RunningPerZoneAsync()).Keys.Order());

        // A load step far above 3 x 30 requests/s: the scaler adds replicas, spread over the zones.
        await using (var step = new BoundedLoad(agent.Balancer, workers: 4, maxRequests: 200_000, maxDuration: TimeSpan.FromSeconds(60)))
        {
            // Creates on the three engines finish at different moments; the spread is judged once they have.
            await Eventually.TrueAsync(
                async () => await agent.RunningPerZoneAsync() is var z && z.Count == 3 && z.Values.Sum() >= 6 && z.Values.Max() - z.Values.Min() <= 1,
                "scale-out to at least 6 replicas spread evenly over the 3 zones",
                TimeSpan.FromSeconds(45));
            await step.StopAsync();
            Assert.Equal(0, step.Failed);
        }

        // The step ends; a light load keeps running while the scaler removes the extra replicas: none may fail.
        await using var light = new BoundedLoad(agent.Balancer, workers: 1, maxRequests: 100_000, maxDuration: TimeSpan.FromSeconds(90), pace: TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(async () => (await agent.RunningPerZoneAsync()).Values.Sum() == 3, "scale-in back to 3 after the window", TimeSpan.FromSeconds(60));
        await light.StopAsync();
        Assert.True(light.Succeeded > 0);
        Assert.True(light.Failed == 0, $"{light.Failed} requests failed during scale-in: {light.FailureSummary}");
    }

    [Fact]
    public async Task Losing_a_zone_restores_its_capacity_in_the_others_and_its_return_is_rebalanced()
    {
        var engines = TestEnvironment.ZoneEngines();
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("zones"), "replicas: 3", hosts: ThreeZones());
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => await Serving(agent) == 3, "3 replicas serving");

        await Script("stop", engines[^1]);
        try
        {
            var zones = await Eventually.ValueAsync(
                agent.RunningPerZoneAsync, z => z.GetValueOrDefault("zone-c") == 0 && z.Values.Sum() == 3, "3 replicas in zones a and b", TimeSpan.FromSeconds(60));
            Assert.Equal(2, zones.Count);
            await Eventually.TrueAsync(async () => await Serving(agent) == 3, "the replacement serving");
        }
        finally
        {
            await Script("start", engines[^1]);
        }

        await Eventually.TrueAsync(
            async () => (await agent.RunningPerZoneAsync()) is var z && z.Count == 3 && z.Values.All(n => n == 1),
            "rebalanced: one replica per zone again",
            TimeSpan.FromSeconds(90));
        Assert.DoesNotContain("error", await agent.AskAsync(30));
    }

    private static List<HostConfig> ThreeZones()
    {
        var engines = TestEnvironment.ZoneEngines();
        Assert.True(engines.Count >= 2, "two extra engines are needed (BOLLARD_TEST_ENGINES=h2,h3)");
        return
        [
            new HostConfig("h1", "zone-a", TestEnvironment.DockerEndpoint.ToString(), "127.0.0.1", null),
            new HostConfig(engines[0], "zone-b", TestEnvironment.EngineEndpoint(engines[0]), "127.0.0.1", null),
            new HostConfig(engines[1], "zone-c", TestEnvironment.EngineEndpoint(engines[1]), "127.0.0.1", null),
        ];
    }

    /// <summary>Healthy replicas in the catalog. (Not the replicas answering: the balancer is zone-aware and, with
    /// the replicas spread evenly, rightly keeps its requests in its own zone.)</summary>
    private static async Task<int> Serving(AgentFixture agent) =>
        (await agent.Services.GetRequiredService<IServiceCatalog>().GetHealthyAsync(agent.Service, CancellationToken.None)).Instances.Length;

    private static async Task Script(string verb, string engine)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "engines.sh"), verb, engine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"engines.sh {verb} {engine} failed: {await errors}");
    }
}

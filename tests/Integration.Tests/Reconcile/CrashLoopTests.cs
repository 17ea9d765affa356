using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using EnginePhase = Bollard.Scaler.Rollouts.RolloutPhase;

namespace Bollard.IntegrationTests.Reconcile;

/// <summary>
/// Replicas that die at start, on the real engine: the sample app given a port that is not a number crashes at once
/// (printing the value, which is a secret like every env value), and one given 8 MiB is OOM-killed while starting.
/// </summary>
public sealed class CrashLoopTests
{
    private const string SecretPort = "bad-s3cret-port";

    [Fact]
    public async Task A_crashing_version_is_backed_off_and_its_exit_and_masked_last_log_line_show_in_status_and_decisions()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("crashing"), $$"""
            replicas: 1
            env: {PORT: {{SecretPort}}}
            crashBackoff: {initial: 1s, max: 8s}
            """);
        await agent.StartAsync();
        var log = agent.Services.GetRequiredService<DecisionLog>();

        // Without a back-off the loop starts it again as soon as it sees it dead (twice a second or more). With it,
        // the 2nd to 5th starts wait at least 1, 2, 4 and 8 s less the 20% jitter: 12 s at the least between the 1st and 5th.
        await Eventually.TrueAsync(() => Creates(log, agent.Service).Count >= 5, "five starts of the crashing version", TimeSpan.FromSeconds(90));
        var creates = Creates(log, agent.Service);
        var span = creates[4].At - creates[0].At;
        Assert.True(span >= TimeSpan.FromSeconds(12), $"the first five starts took {span.TotalSeconds:0.0} s: {string.Join(", ", creates.Select(c => c.At.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)))}");

        var exits = log.Read(agent.Service).Where(d => d.Action == "exit").ToList();
        Assert.NotEmpty(exits);
        Assert.All(exits, d => Assert.DoesNotContain(SecretPort, d.Reason, StringComparison.Ordinal));
        var exit = exits[^1];
        Assert.Contains("killed by signal 11 (SIGSEGV)", exit.Reason, StringComparison.Ordinal);
        Assert.Contains("last log lines:\nUnhandled exception. System.FormatException: The input string '***' was not in a correct format.", exit.Reason, StringComparison.Ordinal);
        Assert.Contains("failed start", exit.Outcome, StringComparison.Ordinal);
        Assert.Contains(log.Read(agent.Service), d => d.Action == "remove" && d.Reason.Contains("killed by signal 11", StringComparison.Ordinal));

        var status = await agent.Services.GetRequiredService<IControlPlane>().GetServiceAsync(agent.Service, CancellationToken.None);
        var failure = Assert.IsType<FailureStatus>(status!.RecentFailures is [var newest, ..] ? newest : null);
        Assert.Contains("killed by signal 11 (SIGSEGV)", failure.What, StringComparison.Ordinal);
        Assert.Contains("'***'", failure.What, StringComparison.Ordinal);
        var loop = Assert.Single(status.CrashLoops ?? []);
        Assert.True(loop.FailedStarts >= 4, $"{loop.FailedStarts} failed starts counted");
        Assert.DoesNotContain(SecretPort, Bollard.Cli.StatusVerbs.FormatService(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oom_killed_replica_is_named_so()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("oom"), """
            replicas: 1
            resources: {memory: 8Mi}
            crashBackoff: {initial: 5s}
            """);
        await agent.StartAsync();
        var log = agent.Services.GetRequiredService<DecisionLog>();

        await Eventually.TrueAsync(() => log.Read(agent.Service).Any(d => d.Action == "exit"), "the replica is found dead", TimeSpan.FromSeconds(60));

        var exit = log.Read(agent.Service).First(d => d.Action == "exit");
        Assert.Contains("out of memory (OOM killed)", exit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_whose_replicas_crash_at_start_is_rolled_back_by_itself()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("crashcanary"), """
            replicas: 2
            rollout:
              canary:
                steps: [{setWeight: 20}, {pause: 10m}]
              failedStartLimit: 3
            crashBackoff: {initial: 1s, max: 2s}
            """);
        await agent.StartAsync();
        await Eventually.TrueAsync(async () => (await agent.AskAsync(20)).Distinct().Count(id => !id.StartsWith("error", StringComparison.Ordinal)) == 2, "2 replicas of v1 serving");

        var control = agent.Services.GetRequiredService<IControlPlane>();
        var spec = new SpecFile("crash.yaml", $$"""
            name: {{agent.Service}}
            image: {{TestEnvironment.SampleImage}}:v2
            port: 8080
            replicas: 2
            env: {PORT: {{SecretPort}}}
            rollout:
              canary:
                steps: [{setWeight: 20}, {pause: 10m}]
              failedStartLimit: 3
            crashBackoff: {initial: 1s, max: 2s}
            health: {interval: 500ms}
            route: {pathPrefix: /}
            drainTimeout: 1s
            stopGracePeriod: 2s
            """);
        await control.StartRolloutAsync(agent.Service, new RolloutRequest(null, spec), "test", CancellationToken.None);

        // The analysis has no traffic to judge (the canary never serves) and the step pauses 10 minutes: only the
        // failed starts can roll it back.
        var coordinator = agent.Services.GetRequiredService<DeploymentCoordinator>();
        await Eventually.TrueAsync(() => coordinator.Current(agent.Service)?.Rollout?.Phase == EnginePhase.RolledBack, "the crashing canary rolled back", TimeSpan.FromSeconds(90));
        Assert.Contains(agent.Services.GetRequiredService<DecisionLog>().Read(agent.Service), d => d.Action.StartsWith("rollout", StringComparison.Ordinal) && d.Reason.Contains("failed to start 3 times in a row", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).All(c => c.Labels[ContainerLabels.Image].EndsWith(":v1", StringComparison.Ordinal)), "only v1 containers left");
        Assert.DoesNotContain(await agent.AskAsync(20), id => id.StartsWith("error", StringComparison.Ordinal));
    }

    private static List<Decision> Creates(DecisionLog log, string service) =>
        [.. log.Read(service).Where(d => d.Action == "create" && d.Outcome == "ok").OrderBy(d => d.At)];
}

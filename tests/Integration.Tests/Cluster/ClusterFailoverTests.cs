using System.Diagnostics;
using System.Net.Http.Json;
using Bollard.IntegrationTests.Load;
using Docker.DotNet.Models;
using Xunit.Abstractions;

namespace Bollard.IntegrationTests.Cluster;

/// <summary>
/// Failover of the controller with real `bollard agent` processes, each host with its own Docker engine and its own
/// Consul agent: a controller killed (SIGKILL, not a stop) under load is replaced within seconds without a failed
/// request, a controller frozen past its session acts no more once it resumes, and a stopped one hands over at once.
/// </summary>
[Collection(ZoneEngines.Name)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_killed_controller_is_replaced_within_seconds_and_its_host_lost_after_costs_no_request()
    {
        await using var engine = await PrivateEngine.StartAsync();
        await using var hosts = await TwoHosts.StartAsync(engine.Endpoint, TestEnvironment.EngineEndpoint(TestEnvironment.ZoneEngines()[0]), "replicas: 4", replicas: 4);
        await Eventually.TrueAsync(async () => (await hosts.A.RunningContainersAsync()).Count == 2 && (await hosts.B.RunningContainersAsync()).Count == 2, "2 replicas on each host", Long);
        await using var load = new BoundedLoad(hosts.B.Balancer, workers: 2, maxRequests: 200_000, maxDuration: TimeSpan.FromMinutes(5), pace: TimeSpan.FromMilliseconds(10));
        await Eventually.TrueAsync(() => load.Succeeded >= 100, "the load running through host b's balancer");

        // The controller's process dies; its replicas keep running and serving.
        var killedAt = DateTimeOffset.UtcNow;
        var sinceKill = Stopwatch.StartNew();
        hosts.A.Signal("KILL");
        var leads = await TwoHosts.TimeUntilAsync(async () => (await hosts.HolderAsync())?.StartsWith("b/", StringComparison.Ordinal) == true, "host b's agent leading", Long, sinceKill);
        var acted = await TwoHosts.TimeUntilAsync(async () => await hosts.LastPassAsync(hosts.B) > killedAt, "host b's agent's first reconcile pass", Long, sinceKill);
        output.WriteLine($"SIGKILL -> new controller leads {leads.TotalSeconds:0.00} s, first pass done {acted.TotalSeconds:0.00} s");
        Assert.True(leads <= TimeSpan.FromSeconds(10), $"the new controller led {leads.TotalSeconds:0.0} s after the kill (target 10 s)");
        Assert.True(acted <= TimeSpan.FromSeconds(15), $"the new controller's first pass was done {acted.TotalSeconds:0.0} s after the kill (target 15 s)");

        // Then the dead controller's host loses its replicas and its engine.
        var served = load.Succeeded;
        foreach (var replica in await hosts.A.RunningContainersAsync())
        {
            await hosts.A.Docker.Containers.KillContainerAsync(replica.ID, new ContainerKillParameters());
        }

        // Dead, they are of no use to anyone: removed so that the next run of this engine starts clean.
        foreach (var replica in await hosts.A.Docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.bollard.cluster={hosts.Cluster}"] = true } } }))
        {
            await hosts.A.Docker.Containers.RemoveContainerAsync(replica.ID, new ContainerRemoveParameters { Force = true });
        }

        await engine.StopAsync();
        var full = await TwoHosts.TimeUntilAsync(
            async () => (await hosts.B.RunningContainersAsync()).Count == 4 && await hosts.PassingAsync("zone-b") == 4 && await hosts.PassingAsync() == 4,
            "4 passing replicas on host b alone",
            Long);
        output.WriteLine($"host lost -> full capacity on the survivor {full.TotalSeconds:0.00} s");
        Assert.True(full <= TimeSpan.FromSeconds(30), $"full capacity on the surviving host {full.TotalSeconds:0.0} s after the host was lost (target 30 s)");
        await Eventually.TrueAsync(() => load.Succeeded >= served + 500, "the load going on after the host was lost");

        await load.StopAsync();
        output.WriteLine($"requests: {load.Succeeded} succeeded, {load.Failed} failed");
        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Succeeded + load.Failed} requests failed: {load.FailureSummary}");
    }

    [Fact]
    public async Task A_controller_frozen_past_its_session_issues_nothing_once_it_resumes()
    {
        var engines = TestEnvironment.ZoneEngines();

        // Replicas start failing their health check, so that each waits for the test to let it pass: what the
        // controller does once one passes (register it) is then held until the test chooses.
        await using var hosts = await StartUnhealthyAsync(TestEnvironment.EngineEndpoint(engines[1]), TestEnvironment.EngineEndpoint(engines[0]));
        await using var commands = new CommandRecorder(hosts.Server.Address, hosts.Cluster);
        var before = await hosts.LockHeldAsync("a", Long);

        // A scale-out from 2 to 6 through the controller: it creates 4 replicas over both hosts, whose registrations
        // wait for their first passing check. Frozen as soon as they run: those registrations are what it has under way.
        var known = (await RunningIdsAsync(hosts)).ToHashSet(StringComparer.Ordinal);
        await hosts.ApplyAsync(hosts.A, "replicas: 6\nenv: {FAIL_HEALTH: \"1\"}");
        await Eventually.TrueAsync(async () => (await RunningIdsAsync(hosts)).Count >= 6, "6 replicas running over both hosts", Long);
        hosts.A.Signal("STOP");
        var outputAtFreeze = hosts.A.Output.Count;

        // Its liveness check runs out, its session ends, and after the lock delay host b's agent leads.
        var after = await hosts.LockHeldAsync("b", TimeSpan.FromSeconds(30));
        Assert.NotEqual(before.Session, after.Session);

        // Resumed, it would register the new replicas once they pass: let them pass, and watch what it does.
        // Every container there is now was made before it resumed: while frozen it did nothing, and before the freeze its
        // session held.
        var beforeResume = await AllContainerIdsAsync(hosts);
        hosts.A.Signal("CONT");
        var resumedAt = hosts.A.Output.Count;
        foreach (var replica in (await AllRunningAsync(hosts)).Where(c => !known.Contains(c.Id)))
        {
            using var http = new HttpClient();
            (await http.PostAsync(new Uri($"http://127.0.0.1:{replica.Port}/admin/recover-health"), null)).EnsureSuccessStatusCode();
        }

        await Eventually.TrueAsync(
            () => hosts.A.Output.Skip(resumedAt).Any(l => l.Contains("stopped", StringComparison.Ordinal) && l.Contains("control", StringComparison.Ordinal)),
            "host a's agent refusing to act: it no longer controls the cluster",
            TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => await hosts.PassingAsync() >= 6, "the new controller registering the replicas that passed", Long);

        // Nothing of the old controller after its session ended: no command under its session written after the
        // lock passed on (Consul fences them on the lock), and no change made by itself (its reconciler logs each).
        Assert.DoesNotContain(commands.Seen, c => c.Session == before.Session && c.CreateIndex > after.Index);
        // What it logs having done after the freeze may only be what it had under way before: a container that was
        // there before it resumed, whose answer it read after.
        var acted = Decisions(hosts.A, outputAtFreeze)
            .Where(d => !(d.Split(' ') is [_, "create", var id, ..] && beforeResume.Any(c => c.StartsWith(id.TrimEnd(':'), StringComparison.Ordinal))))
            .ToList();

        Assert.True(acted.Count == 0, $"host a's agent acted after it was frozen: {string.Join("; ", acted)}\n{string.Join('\n', hosts.A.Output.Skip(outputAtFreeze))}");
        Assert.StartsWith("b/", await hosts.HolderAsync(), StringComparison.Ordinal);
        Assert.Contains(commands.Seen, c => c.Session == after.Session);
    }

    [Fact]
    public async Task A_stopped_controller_hands_over_within_two_seconds()
    {
        var engines = TestEnvironment.ZoneEngines();
        await using var hosts = await TwoHosts.StartAsync(TestEnvironment.EngineEndpoint(engines[1]), TestEnvironment.EngineEndpoint(engines[0]), "replicas: 2", replicas: 2);

        var stopping = hosts.A.StopAsync();
        var handedOver = await TwoHosts.TimeUntilAsync(async () => (await hosts.HolderAsync())?.StartsWith("b/", StringComparison.Ordinal) == true, "host b's agent leading", Long);
        await stopping;

        output.WriteLine($"SIGTERM -> new controller leads {handedOver.TotalSeconds:0.00} s");
        Assert.True(handedOver <= TimeSpan.FromSeconds(2), $"the lock passed to host b's agent {handedOver.TotalSeconds:0.0} s after the controller was asked to stop (target 2 s)");
        Assert.True(hosts.A.ExitCode == 0, $"host a's agent exited with {hosts.A.ExitCode}:\n{string.Join('\n', hosts.A.Output.TakeLast(60))}");
    }

    private static async Task<TwoHosts> StartUnhealthyAsync(string engineA, string engineB)
    {
        var hosts = await TwoHosts.StartAsync(engineA, engineB, "replicas: 2", replicas: 2);
        try
        {
            // The same version with its replicas starting unhealthy would be a new version (env is part of it):
            // apply it at 2 first, let its replicas pass, and only then scale it out.
            await hosts.ApplyAsync(hosts.A, "replicas: 2\nenv: {FAIL_HEALTH: \"1\"}");
            await Eventually.TrueAsync(
                async () =>
                {
                    foreach (var replica in await AllRunningAsync(hosts))
                    {
                        using var http = new HttpClient();
                        await http.PostAsync(new Uri($"http://127.0.0.1:{replica.Port}/admin/recover-health"), null);
                    }

                    return (await AllRunningAsync(hosts)).Count == 2 && await hosts.PassingAsync() == 2
                        && (await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => hosts.B.AskAsync()))).All(r => !r.StartsWith("error", StringComparison.Ordinal));
                },
                "the version whose replicas start unhealthy serving at 2",
                Long);
            return hosts;
        }
        catch
        {
            await hosts.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the agent's reconciler did (one log entry per effect) since the <paramref name="from"/>th output line.</summary>
    private static List<string> Decisions(Agent.AgentProcess agent, int from)
    {
        var lines = agent.Output;
        return [.. Enumerable.Range(from, Math.Max(0, lines.Count - from - 1))
            .Where(i => lines[i].Contains("Bollard.Scaler.Reconcile.Reconciler[2001]", StringComparison.Ordinal))
            .Select(i => lines[i + 1].Trim())];
    }

    /// <summary>Every container of the cluster on both hosts, running or not.</summary>
    private static async Task<List<string>> AllContainerIdsAsync(TwoHosts hosts)
    {
        var all = new List<string>();
        foreach (var agent in new[] { hosts.A, hosts.B })
        {
            all.AddRange((await agent.Docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.bollard.cluster={hosts.Cluster}"] = true } },
            })).Select(c => c.ID));
        }

        return all;
    }

    private static async Task<List<string>> RunningIdsAsync(TwoHosts hosts) => [.. (await AllRunningAsync(hosts)).Select(c => c.Id)];

    private static async Task<List<(string Id, int Port)>> AllRunningAsync(TwoHosts hosts)
    {
        var all = (await hosts.A.RunningContainersAsync()).Concat(await hosts.B.RunningContainersAsync());
        return [.. all.Select(c => (c.ID, (int)c.Ports.First(p => p.PublicPort > 0).PublicPort))];
    }
}

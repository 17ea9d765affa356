using System.Net;
using System.Net.Sockets;
using Bollard.IntegrationTests.Load;

namespace Bollard.IntegrationTests.Agent;

/// <summary>
/// Restarts that drop nothing: the real executable restarted under load, its listening socket held across the two
/// processes by a supervisor as systemd's bollard.socket holds it (the LISTEN_FDS protocol).
/// </summary>
public sealed class ZeroDowntimeRestartTests
{
    [Fact]
    public async Task A_restart_with_the_listener_held_across_processes_fails_no_request()
    {
        var service = TestEnvironment.UniqueName("restart");
        await using var agent = new AgentProcess(new Dictionary<string, string> { ["web.yaml"] = Spec(service) }, TestEnvironment.ConsulAddress);
        using var held = SocketActivationSupervisor.Listen(agent.Listen);
        agent.InheritedSockets = [held];
        await agent.StartAsync();
        await Eventually.TrueAsync(
            async () => (await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.AskAsync()))).Where(id => !id.StartsWith("error", StringComparison.Ordinal)).Distinct().Count() == 2,
            "both replicas answering through the agent");

        // A client waits up to 30 s (browsers and most HTTP clients wait longer): a connection made while the new process
        // starts waits in the backlog for it, and a start takes seconds on a machine busy with other tests.
        await using var load = new BoundedLoad(agent.Balancer, workers: 4, maxRequests: 50_000, maxDuration: TimeSpan.FromSeconds(90), requestTimeout: TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(load.Succeeded > 200), "load flowing before the restart");
        Assert.True(load.Failed == 0, $"before the restart: {load.FailureSummary}");

        // systemctl restart: SIGTERM, the process exits once its requests in flight are done, then a new one starts on
        // the same socket. Connections made meanwhile wait in the socket's backlog.
        await agent.StopAsync();
        Assert.Equal(0, agent.ExitCode);
        var atRestart = load.Succeeded;
        await agent.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(load.Succeeded > atRestart + 500), "load served by the new process", TimeSpan.FromSeconds(60));
        await load.StopAsync();

        Assert.True(load.Failed == 0, $"{load.Failed} of {load.Succeeded + load.Failed} requests failed across the restart: {load.FailureSummary}");
        Assert.Equal(2, (await agent.RunningContainersAsync()).Count); // the replicas were never touched
    }

    [Fact]
    public async Task A_passed_socket_that_no_listener_uses_stops_the_start_as_a_config_error()
    {
        await using var agent = new AgentProcess(new Dictionary<string, string>());
        using var stray = SocketActivationSupervisor.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        agent.InheritedSockets = [stray];

        var exit = await agent.RunToExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(78, exit);
        Assert.Contains(agent.Output, line => line.Contains($"{((IPEndPoint)stray.LocalEndPoint!).Port}", StringComparison.Ordinal) && line.Contains("no listener", StringComparison.Ordinal));
    }

    private static string Spec(string service) => $"""
        name: {service}
        image: {TestEnvironment.SampleImage}:v1
        port: 8080
        replicas: 2
        health: {"{"}interval: 500ms{"}"}
        route: {"{"}pathPrefix: /{"}"}
        drainTimeout: 1s
        stopGracePeriod: 2s
        """;
}

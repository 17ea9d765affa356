using System.Net;
using System.Net.Sockets;
using Bollard.Agent;
using Bollard.Agent.Systemd;
using Bollard.Scaler.Reconcile;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.IntegrationTests.Systemd;

/// <summary>
/// The watchdog heartbeat (WATCHDOG=1 to the notification socket, as under a unit with WatchdogSec=) is sent while the
/// agent is alive and stops when its reconcile loop is wedged in a pass, so that systemd restarts it; a loop waiting
/// (here at a controller lock it never gets) is alive however long it waits. The agent runs in-process with the real
/// Docker engine; the wedge is a reconcile precondition that does not return until the test lets it.
/// </summary>
public sealed class SystemdWatchdogTests
{
    // Short timings, so that the test takes seconds: a heartbeat every 1 s, systemd's limit 3 s, a pass stuck 3 s is wedged.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Heartbeats_stop_while_the_reconcile_loop_is_wedged_in_a_pass_and_resume_when_it_moves_again()
    {
        using var notify = new NotifyListener();
        var wedge = new Wedge();
        var state = Directory.CreateTempSubdirectory("bollard-watchdog-").FullName;
        try
        {
            await using var app = AgentHost.Build(Config(state), [], services =>
            {
                services.AddSingleton(new WatchdogSettings(Timeout, notify.Path) { StallLimit = StallLimit });
                services.AddSingleton<IReconcilePrecondition>(wedge);
            });
            await app.StartAsync();

            await Eventually.TrueAsync(() => notify.Heartbeats.Count >= 4, "four heartbeats from a working agent", TimeSpan.FromSeconds(30));
            Assert.True(notify.LongestGap(TimeSpan.Zero) < Timeout, $"heartbeats of a working agent came {notify.LongestGap(TimeSpan.Zero).TotalSeconds:0.0} s apart");

            wedge.Close();
            await Eventually.TrueAsync(() => wedge.Waiting, "a reconcile pass stuck in the wedge", TimeSpan.FromSeconds(30));
            // Silent for twice what systemd tolerates: it would have killed the agent.
            await Eventually.TrueAsync(() => notify.Silence > Timeout * 2, "the heartbeats to stop", StallLimit + TimeSpan.FromSeconds(30));

            wedge.Open();
            var silentUntil = notify.Now;
            await Eventually.TrueAsync(() => notify.Heartbeats.Any(h => h > silentUntil), "heartbeats again once the loop moves", TimeSpan.FromSeconds(30));
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task A_reconcile_loop_waiting_at_a_gate_that_stays_closed_is_alive()
    {
        using var notify = new NotifyListener();
        var state = Directory.CreateTempSubdirectory("bollard-watchdog-").FullName;
        try
        {
            await using var app = AgentHost.Build(Config(state), [], services =>
            {
                services.AddSingleton(new WatchdogSettings(Timeout, notify.Path) { StallLimit = StallLimit });
                services.AddSingleton<IReconcileGate>(new ClosedGate());
            });
            await app.StartAsync();

            await Eventually.TrueAsync(() => notify.Heartbeats.Count >= 1, "a first heartbeat", TimeSpan.FromSeconds(30));
            var first = notify.Heartbeats[0];
            // Well past the stall limit, every heartbeat on time.
            await Eventually.TrueAsync(() => notify.Now - first > StallLimit * 3, "three stall limits of waiting", TimeSpan.FromSeconds(60));
            Assert.True(notify.LongestGap(first) < Timeout, $"heartbeats of an agent waiting for the controller lock came {notify.LongestGap(first).TotalSeconds:0.0} s apart");
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static AgentConfig Config(string state) => new()
    {
        Cluster = TestEnvironment.UniqueName("watchdog"),
        Listen = new IPEndPoint(IPAddress.Loopback, FreePort()),
        Admin = new IPEndPoint(IPAddress.Loopback, FreePort()),
        DockerEndpoint = TestEnvironment.DockerEndpoint.ToString(),
        StateDirectory = state,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A reconcile precondition that holds every pass while closed, as a pass stuck on a call that never returns.</summary>
    private sealed class Wedge : IReconcilePrecondition
    {
        private volatile TaskCompletionSource _gate = CompletedGate();
        private volatile bool _waiting;

        public bool Waiting => _waiting;

        public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public async Task EnsureAsync(CancellationToken cancellationToken)
        {
            var gate = _gate;
            _waiting = !gate.Task.IsCompleted;
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                _waiting = false;
            }
        }

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    /// <summary>The gate of an agent that never becomes the controller.</summary>
    private sealed class ClosedGate : IReconcileGate
    {
        public bool IsOpen => false;

        public Task WaitOpenAsync(CancellationToken cancellationToken) => Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);

        public Task EnsureOpenAsync(CancellationToken cancellationToken) => throw new NotLeadingException("this agent never leads");
    }
}

using System.Threading.Channels;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The host agent's part of cluster mode, on every agent: keeps this agent's session alive, publishes a report of
/// each local host (every <see cref="ClusterOptions.PublishInterval"/>, and at once on a Docker event), and runs the
/// commands the controller writes for those hosts: containers on the local engine, registrations in the local
/// catalog (this host's Consul agent, which then runs the replica's health check). A command runs only while the
/// session holding it holds the controller lock.
/// </summary>
public sealed partial class HostAgent(
    LocalHosts local,
    AgentSession session,
    ConsulKeyValueStore store,
    ConsulKeyValueWatch watch,
    IServiceCatalog catalog,
    SecretKey secrets,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<HostAgent> logger,
    LoopHealth health) : SupervisedBackgroundService("host-agent", health)
{
    private string Cluster => scaler.Value.Cluster;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var loops = local.Hosts
            .SelectMany(h => new[] { PublishLoopAsync(h, stoppingToken), CommandLoopAsync(h, stoppingToken) })
            .Append(RenewLoopAsync(stoppingToken));
        try
        {
            await Task.WhenAll(loops);
        }
        finally
        {
            await DestroySessionAsync();
        }
    }

    private async Task RenewLoopAsync(CancellationToken stoppingToken)
    {
        var status = Health.Track("host-session");
        using var timer = new PeriodicTimer(options.Value.SessionTtl / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await session.RenewAsync(stoppingToken))
                    {
                        LogSessionLost();
                    }

                    status.Succeeded();
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (status.Failed(e))
                    {
                        LogConsulUnavailable("renewing the agent's session", e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task DestroySessionAsync()
    {
        // No longer than the liveness TTL: the session ends with the liveness check by then anyway.
        using var bound = new CancellationTokenSource(options.Value.AliveTtl, time);
        try
        {
            // Its host reports go at once: the controller sees this agent's hosts as unreachable without waiting for the TTL.
            await session.DestroyAsync(bound.Token);
        }
        catch (CatalogUnavailableException e)
        {
            LogConsulUnavailable("ending the agent's session (it ends with its liveness check)", e.Message);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            LogConsulUnavailable("ending the agent's session (it ends with its liveness check)", "no answer in time");
        }
    }

    private async Task PublishLoopAsync(ManagedHost host, CancellationToken stoppingToken)
    {
        // One pending wake-up is enough: a publication reads the whole engine.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var events = PumpEventsAsync(host.Runtime, wake.Writer, stoppingToken);
        var sequence = 0L;
        var status = Health.Track($"host-report:{host.Name}");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PublishAsync(host, ++sequence, stoppingToken);
                if (status.Succeeded() > 0)
                {
                    LogPublishingAgain(host.Name);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Consul unreachable, or anything else: the last report stays until the session ends; try again (with a
                // new session if it ended).
                await session.CheckAfterFailureAsync(stoppingToken);
                if (status.Failed(e))
                {
                    LogConsulUnavailable($"publishing host {host.Name}", e.Message);
                }
            }

            await WakeOrTimeout.WaitAsync(wake.Reader, options.Value.PublishInterval, time, stoppingToken);
        }

        await events;
    }

    private async Task PublishAsync(ManagedHost host, long sequence, CancellationToken cancellationToken)
    {
        IReadOnlyList<ObservedContainer> containers = [];
        string? unreachable = null;
        try
        {
            containers = await host.Runtime.ListManagedAsync(Cluster, cancellationToken);
        }
        catch (RuntimeUnavailableException e)
        {
            unreachable = e.Message;
        }

        var report = new HostReport(host.Name, host.Zone, host.PublishAddress, host.AdvertiseAddress, options.Value.Agent, sequence, containers, unreachable)
        {
            Cpu = await SampleCpuAsync(host.Runtime, containers, cancellationToken),
            Images = unreachable is null ? await ListImagesAsync(host.Runtime, cancellationToken) : null,
        };
        var id = await session.CurrentAsync(cancellationToken);
        if (!await store.TryAcquireAsync(ClusterKeys.Host(Cluster, host.Name), id, ClusterJson.Write(report), cancellationToken))
        {
            // Another agent's session holds the key: two agents claim the same host name.
            var holder = await store.GetAsync(ClusterKeys.Host(Cluster, host.Name), cancellationToken);
            var other = holder is null ? null : ClusterJson.Read<HostReport>(holder.Value)?.Agent;
            LogHostClaimed(host.Name, other ?? "another agent");
        }
    }

    /// <summary>The engine's images; null when they cannot be listed now (the controller then counts every image as present).</summary>
    private static async Task<ImageInventory?> ListImagesAsync(IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            return await runtime.ListImagesAsync(cancellationToken);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            return null;
        }
    }

    /// <summary>One reading per running container, all at once; one that cannot be read is left out (missing data, not zero).</summary>
    private static async Task<Dictionary<string, ContainerCpuSample>> SampleCpuAsync(IContainerRuntime runtime, IReadOnlyList<ObservedContainer> containers, CancellationToken cancellationToken)
    {
        var readings = await Task.WhenAll(containers.Where(c => c.State == ContainerRunState.Running).Select(async c =>
        {
            try
            {
                return (c.Id, Sample: await runtime.SampleCpuAsync(c.Id, cancellationToken));
            }
            catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
            {
                return (c.Id, Sample: null);
            }
        }));
        return readings.Where(r => r.Sample is not null).ToDictionary(r => r.Id, r => r.Sample!, StringComparer.Ordinal);
    }

    private async Task PumpEventsAsync(IContainerRuntime runtime, ChannelWriter<bool> wake, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in runtime.WatchEventsAsync(Cluster, stoppingToken))
                {
                    wake.TryWrite(true);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The engine is down or the stream broke: the periodic publications say so; re-subscribe after a pause.
            }

            try
            {
                await Task.Delay(options.Value.PublishInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CommandLoopAsync(ManagedHost host, CancellationToken stoppingToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            await foreach (var entries in watch.WatchPrefixAsync(ClusterKeys.CommandsPrefix(Cluster, host.Name), stoppingToken))
            {
                var present = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
                foreach (var done in running.Where(r => r.Value.IsCompleted && !present.Contains(r.Key)).Select(r => r.Key).ToList())
                {
                    running.Remove(done);
                }

                foreach (var entry in entries)
                {
                    if (!running.ContainsKey(entry.Key) && ClusterJson.Read<HostCommandEntry>(entry.Value) is { Result: null } pending)
                    {
                        // Each command on its own: a stop waiting out its grace period must not hold up a create.
                        running[entry.Key] = RunCommandAsync(host, entry, pending, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await Task.WhenAll(running.Values);
    }

    /// <summary>
    /// Whether the command is held by the session that holds the controller lock now. The controller's writes are
    /// fenced on its lock already; this is the host's side of it: a command of a controller whose session ended since
    /// (Consul deletes it, but the deletion may not have reached this watch yet) is never run. Consul unreachable: asked
    /// again until the controller would have given up on the command.
    /// </summary>
    private async Task<bool> HeldByControllerAsync(KeyValueEntry entry, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                var leader = await store.GetAsync(ClusterKeys.Leader(Cluster), stoppingToken);
                return !string.IsNullOrEmpty(entry.Session) && entry.Session == leader?.Session;
            }
            catch (CatalogUnavailableException) when (time.GetElapsedTime(started) < options.Value.CommandTimeout)
            {
                await Task.Delay(options.Value.HeartbeatInterval, time, stoppingToken);
            }
        }
    }

    private async Task RunCommandAsync(ManagedHost host, KeyValueEntry entry, HostCommandEntry pending, CancellationToken stoppingToken)
    {
        try
        {
            if (!await HeldByControllerAsync(entry, stoppingToken))
            {
                LogCommandNotFromController(host.Name, pending.Command);
                return;
            }

            var progress = new CommandProgressWriter(store, entry.Key, stoppingToken);
            HostCommandResult result;
            try
            {
                result = await HostCommandExecutor.ExecuteAsync(pending.Command, host.Runtime, catalog, secrets, progress, stoppingToken);
            }
            finally
            {
                await progress.DisposeAsync();
            }

            // Progress writes moved the key's index: answer at the index it has now, if it is still there.
            var index = !progress.Wrote ? entry.ModifyIndex : await store.GetAsync(entry.Key, stoppingToken) is { } now ? now.ModifyIndex : 0;

            var outcome = result.Error ?? result.Pulled?.ToString() ?? "ok";
            LogCommandRan(host.Name, pending.Command, outcome);

            // Check-and-set on the index read: a command its controller gave up on (deleted) is not written back.
            if (index == 0 || !await store.TryPutAsync(entry.Key, ClusterJson.Write(pending with { Result = result }), index, stoppingToken))
            {
                LogCommandAbandoned(host.Name, pending.Command);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an unanswered command runs again when this agent starts, unless its controller's session ended meanwhile.
        }
        catch (Exception e)
        {
            // Unanswered, the controller's wait for it times out and its next pass decides again from what it observes.
            LogConsulUnavailable($"answering a command for host {host.Name}", e.Message);
        }
    }
}

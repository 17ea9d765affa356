using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// This agent's liveness in its own Consul agent: a service <c>bollard-agent</c> of its own with a TTL check of
/// <see cref="ClusterOptions.AliveTtl"/>, passed every <see cref="ClusterOptions.HeartbeatInterval"/>. The agent's
/// sessions (the controller lock's, the one holding its host reports) are bound to this check and to the node's
/// <c>serfHealth</c>: when the agent dies, freezes or loses its Consul agent, they end within the TTL of its last
/// heartbeat instead of a session TTL (10 s at least, which Consul may double). Stopping deregisters the service.
/// </summary>
public sealed partial class AgentHeartbeat(
    ConsulTtlCheck checks,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    LoopHealth health,
    TimeProvider time,
    ILogger<AgentHeartbeat> logger) : SupervisedBackgroundService("agent-heartbeat", health)
{
    /// <summary>The name every agent's liveness service has in Consul (a service spec may not take it).</summary>
    public const string ServiceName = "bollard-agent";

    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastPass;

    /// <summary>This agent's liveness service in its Consul agent.</summary>
    public string ServiceId { get; } = IdOf(scaler.Value.Cluster, options.Value.Agent);

    /// <summary>The check the agent's sessions are bound to.</summary>
    public string CheckId => $"{ServiceId}:alive";

    /// <summary>The checks a session of this agent dies with: the node's, and the agent's own.</summary>
    public IReadOnlyList<string> SessionChecks => ["serfHealth", CheckId];

    /// <summary>Completes once the check is registered and was passed (a session bound to it can be created).</summary>
    public Task Registered => _registered.Task;

    /// <summary>
    /// When the last heartbeat that Consul acknowledged was sent (a timestamp of the clock), null before the first:
    /// the check cannot turn critical before this plus <see cref="ClusterOptions.AliveTtl"/>.
    /// </summary>
    public long? LastPass => Interlocked.Read(ref _lastPass) is > 0 and var at ? at : null;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        var registered = false;
        try
        {
            do
            {
                registered = await BeatAsync(registered, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await DeregisterAsync();
        }
    }

    /// <summary>One heartbeat: registers the check (the first time, and after a failure: the Consul agent may have lost it), else passes it.</summary>
    private async Task<bool> BeatAsync(bool registered, CancellationToken stoppingToken)
    {
        var sent = time.GetTimestamp();
        try
        {
            if (registered)
            {
                await checks.PassAsync(CheckId, options.Value.HeartbeatInterval, stoppingToken);
            }
            else
            {
                await checks.RegisterAsync(
                    new TtlCheckRegistration(
                        ServiceId,
                        ServiceName,
                        CheckId,
                        options.Value.AliveTtl,
                        TimeSpan.FromMinutes(1),
                        new Dictionary<string, string>(StringComparer.Ordinal) { ["cluster"] = scaler.Value.Cluster, ["agent"] = options.Value.Agent }),
                    stoppingToken);
            }

            var previous = Interlocked.Exchange(ref _lastPass, sent);
            if (previous > 0 && time.GetElapsedTime(previous, sent) is var gap && gap > options.Value.AliveTtl / 2)
            {
                // Worth knowing before it costs the agent its sessions: the process was starved or frozen, or Consul slow.
                LogBeatLate(gap.TotalSeconds, options.Value.AliveTtl.TotalSeconds);
            }

            if (registered)
            {
                // After a pass, not the registration itself: by then the local agent has synced the check to the
                // catalog, where session creation looks for it.
                _registered.TrySetResult();
            }

            if (Status.Succeeded() is > 0 and var failures)
            {
                LogBeatingAgain(failures);
            }

            return true;
        }
        catch (CatalogUnavailableException e)
        {
            if (Status.Failed(e))
            {
                LogBeatFailed(options.Value.AliveTtl.TotalSeconds, e.Message);
            }

            return false;
        }
    }

    private async Task DeregisterAsync()
    {
        // No longer than the TTL: by then the check fails on its own, and a stopping agent must not hang on Consul.
        using var bound = new CancellationTokenSource(options.Value.AliveTtl, time);
        try
        {
            // The sessions still bound to it end at once (the controller released its lock before this).
            await checks.DeregisterAsync(ServiceId, bound.Token);
        }
        catch (CatalogUnavailableException e)
        {
            LogBeatFailed(options.Value.AliveTtl.TotalSeconds, e.Message);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            LogBeatFailed(options.Value.AliveTtl.TotalSeconds, "Consul did not answer the deregistration in time");
        }
    }

    /// <summary>An id Consul takes in a URL path as is: the cluster and the agent, other characters as '-'.</summary>
    private static string IdOf(string cluster, string agent) =>
        string.Concat($"{ServiceName}:{cluster}:{agent}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '-'));

    [LoggerMessage(EventId = 2521, Level = LogLevel.Warning, Message = "This agent's liveness check cannot be passed in Consul; its sessions end after {Seconds:0.#} s without it (it then neither controls the cluster nor publishes its hosts): {Error}")]
    private partial void LogBeatFailed(double seconds, string error);

    [LoggerMessage(EventId = 2523, Level = LogLevel.Warning, Message = "This agent's heartbeat came {Seconds:0.0} s after the one before (its liveness check fails after {Ttl:0.#} s): the process was starved or frozen, or its Consul agent answers slowly")]
    private partial void LogBeatLate(double seconds, double ttl);

    [LoggerMessage(EventId = 2522, Level = LogLevel.Information, Message = "This agent's liveness check passes again after {Failures} failed heartbeats")]
    private partial void LogBeatingAgain(int failures);
}

using System.Threading.Channels;
using Bollard.Discovery;
using Bollard.Discovery.Consul;
using Bollard.Discovery.Supervision;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The controller's side of the rollout commands sent through other agents (<see cref="ControllerRequestClient"/>):
/// every agent watches <c>requests/</c>, and while it is the controller it takes each waiting one with check-and-set
/// (a request its sender withdrew, or another controller took, is never run), runs it through its own control plane
/// (the deployment coordinator that its reconcile passes use, and the audit log), and writes the answer back with
/// check-and-set. A request that waited while no agent led is taken within a second of one leading.
/// </summary>
internal sealed partial class ControllerRequestRunner(
    ConsulKeyValueStore store,
    ConsulKeyValueWatch watch,
    LeaderGate gate,
    SpecControlPlane plane,
    IOptions<ScalerOptions> scaler,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    LoopHealth health,
    ILogger<ControllerRequestRunner> logger) : SupervisedBackgroundService("controller-requests", health)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile IReadOnlyList<KeyValueEntry> _waiting = [];

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        var watching = WatchAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Woken by a new request; the periodic turn takes those that waited for a controller once this one leads.
                await WakeOrTimeout.WaitAsync(_wake.Reader, Recheck, time, stoppingToken);
                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
                {
                    running.Remove(done);
                }

                if (!gate.IsOpen)
                {
                    continue;
                }

                foreach (var entry in _waiting.Where(e => !running.ContainsKey(e.Key)))
                {
                    if (ClusterJson.Read<ControllerRequest>(entry.Value) is { Pending: true } request)
                    {
                        running[entry.Key] = RunOneAsync(entry, request, stoppingToken);
                    }
                }
            }
        }
        finally
        {
            await Task.WhenAll(running.Values.Append(watching));
        }
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entries in watch.WatchPrefixAsync(ClusterKeys.RequestsPrefix(scaler.Value.Cluster), stoppingToken))
            {
                _waiting = entries;
                _wake.Writer.TryWrite(true);
                Status.Succeeded();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RunOneAsync(KeyValueEntry entry, ControllerRequest request, CancellationToken stoppingToken)
    {
        try
        {
            var claimed = request with { ClaimedBy = options.Value.Agent };
            if (!await store.TryPutAsync(entry.Key, ClusterJson.Write(claimed), entry.ModifyIndex, stoppingToken)
                || await store.GetAsync(entry.Key, stoppingToken) is not { } taken)
            {
                return; // withdrawn by its sender, or taken by another controller
            }

            var answer = await RunAsync(request, stoppingToken);
            LogRan(request.Command, request.Service, request.Actor, answer.Message ?? "ok");
            if (!await store.TryPutAsync(entry.Key, ClusterJson.Write(claimed with { Answer = answer }), taken.ModifyIndex, stoppingToken))
            {
                LogAnswerLost(request.Service);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the sender is told that the controller did not answer.
        }
        catch (CatalogUnavailableException e)
        {
            LogConsulUnavailable(request.Service, e.Message);
        }
    }

    private async Task<ControllerAnswer> RunAsync(ControllerRequest request, CancellationToken stoppingToken)
    {
        try
        {
            return new ControllerAnswer(await plane.CommandRolloutAsync(request.Service, request.Command, request.Actor, stoppingToken), null, null);
        }
        catch (ControlPlaneException e)
        {
            return new ControllerAnswer(null, e.Error, e.Message);
        }
        catch (StateConflictException e)
        {
            return new ControllerAnswer(null, ControlPlaneError.Conflict, $"{e.Message}; try again");
        }
        catch (StateStoreUnavailableException e)
        {
            return new ControllerAnswer(null, ControlPlaneError.Unavailable, $"the state store cannot be reached: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Rollout {Command} of {Service} for {Actor}, sent through another agent: {Outcome}")]
    private partial void LogRan(RolloutCommand command, string service, string actor, string outcome);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "The answer to a rollout command of {Service} could not be written back: its sender withdrew it or ended")]
    private partial void LogAnswerLost(string service);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "A rollout command of {Service} sent through another agent could not be taken or answered, Consul cannot be reached: {Error}")]
    private partial void LogConsulUnavailable(string service, string error);
}

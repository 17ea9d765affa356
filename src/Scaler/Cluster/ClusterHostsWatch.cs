using Bollard.Discovery.Consul;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Keeps the <see cref="HostRoster"/> of the cluster from a blocking-query watch of <c>bollard/&lt;cluster&gt;/hosts/</c>.
/// Runs on every agent in cluster mode, so an agent that becomes controller already knows which hosts were there
/// (a host that died before is then unreachable, not unknown).
/// </summary>
public sealed class ClusterHostsWatch(ConsulKeyValueWatch watch, IOptions<ScalerOptions> scaler, IOptions<ClusterOptions> options, TimeProvider time)
{
    private readonly Lock _update = new();
    private readonly TaskCompletionSource _firstReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile HostRoster _roster = HostRoster.Empty;

    /// <summary>Completes after the first reading of the hosts (what they were when this agent started watching).</summary>
    public Task FirstReading => _firstReading.Task;

    /// <summary>The hosts as last read (immutable).</summary>
    public HostRoster Roster => _roster;

    /// <summary>Raised after a reading that changed the hosts or their containers.</summary>
    public event Action? Changed;

    /// <summary>Watches until cancelled; Consul failures are retried inside the watch (the roster then goes stale).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var cluster = scaler.Value.Cluster;
        try
        {
            await foreach (var entries in watch.WatchPrefixAsync(ClusterKeys.HostsPrefix(cluster), cancellationToken))
            {
                var reports = entries
                    .Where(e => ClusterKeys.HostOf(cluster, e.Key) is not null)
                    .Select(e => ClusterJson.Read<HostReport>(e.Value))
                    .OfType<HostReport>()
                    .ToList();
                Update(roster => roster.Observe(reports, time.GetUtcNow(), options.Value.ForgetHostAfter));
                _firstReading.TrySetResult();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Forgets hosts gone for too long even when no reading comes (nothing else changes in Consul).</summary>
    public void Expire() =>
        Update(roster => roster.Observe([.. roster.Entries.Values.Where(e => e.GoneAt is null).Select(e => e.Report)], time.GetUtcNow(), options.Value.ForgetHostAfter));

    private void Update(Func<HostRoster, HostRoster> next)
    {
        bool changed;
        lock (_update)
        {
            var before = _roster;
            _roster = next(before);
            changed = _roster.DiffersFrom(before);
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }
}

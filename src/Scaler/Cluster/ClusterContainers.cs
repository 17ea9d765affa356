using Bollard.Scaler.Admin;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The cluster's containers on every host, from the hosts' last reports (this agent's own included), so that the plan
/// of any agent covers the whole cluster, as the controller sees it.
/// </summary>
internal sealed class ClusterContainers(ClusterHostsWatch hosts) : IRunningContainers
{
    public Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken cancellationToken)
    {
        if (!hosts.FirstReading.IsCompleted)
        {
            throw new RuntimeUnavailableException("the cluster's host reports have not been read from Consul yet");
        }

        var present = hosts.Roster.Entries.Values.Where(e => e.GoneAt is null).Select(e => e.Report).ToList();
        if (present.FirstOrDefault(r => r.Unreachable is not null) is { } unreachable)
        {
            throw new RuntimeUnavailableException($"host {unreachable.Host}'s engine cannot be read: {unreachable.Unreachable}");
        }

        return Task.FromResult<IReadOnlyList<ObservedContainer>>([.. present.SelectMany(r => r.Containers)]);
    }
}

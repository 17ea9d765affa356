using Bollard.Scaler.Hosts;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>The cluster's containers on each engine of this agent's own hosts (the single-host mode).</summary>
internal sealed class HostContainers(HostSet hosts, IOptions<ScalerOptions> options) : IRunningContainers
{
    public async Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken cancellationToken)
    {
        var containers = new List<ObservedContainer>();
        foreach (var host in hosts.Hosts)
        {
            containers.AddRange(await host.Runtime.ListManagedAsync(options.Value.Cluster, cancellationToken));
        }

        return containers;
    }
}

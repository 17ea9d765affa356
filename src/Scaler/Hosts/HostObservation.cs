using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Hosts;

/// <summary>What one pass saw on one host: its containers, or that it could not be reached (and why).</summary>
public sealed record HostObservation(ManagedHost Host, IReadOnlyList<ObservedContainer> Containers, string? Unreachable)
{
    public bool Available => Unreachable is null;

    /// <summary>Lists every host's managed containers in parallel; an unreachable host is reported, not thrown.</summary>
    public static async Task<IReadOnlyList<HostObservation>> ObserveAsync(HostSet hosts, string cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return await Task.WhenAll(hosts.Hosts.Select(async host =>
        {
            try
            {
                return new HostObservation(host, await host.Runtime.ListManagedAsync(cluster, cancellationToken), null);
            }
            catch (RuntimeUnavailableException e)
            {
                return new HostObservation(host, [], e.Message);
            }
        }));
    }
}

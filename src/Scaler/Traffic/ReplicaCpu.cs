using Bollard.Scaler.Hosts;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Traffic;

/// <summary>
/// Samples the CPU of a service's replicas on the engines they run on, all at once, and averages them with a
/// <see cref="CpuSampler"/>. A replica whose engine cannot be read has no sample, so the average is missing for that pass.
/// </summary>
internal sealed class ReplicaCpu(HostSet hosts)
{
    private readonly CpuSampler _sampler = new();

    /// <summary>The replicas' average CPU percent of one core since the previous call, or null when not known.</summary>
    public async Task<double?> AverageAsync(string service, IReadOnlyList<ReplicaView> replicas, CancellationToken cancellationToken)
    {
        var samples = await Task.WhenAll(replicas.Select(r => SampleAsync(r, cancellationToken)));
        return _sampler.Advance(service, samples);
    }

    public void Forget(string service) => _sampler.Forget(service);

    private async Task<(string ContainerId, ContainerCpuSample? Sample)> SampleAsync(ReplicaView replica, CancellationToken cancellationToken)
    {
        var host = hosts.Hosts.FirstOrDefault(h => h.Name == replica.Host);
        if (host is null)
        {
            return (replica.Container.Id, null);
        }

        try
        {
            return (replica.Container.Id, await host.Runtime.SampleCpuAsync(replica.Container.Id, cancellationToken));
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            // The pass goes on without this replica's CPU: the reconcile loop already reports an unreachable engine.
            return (replica.Container.Id, null);
        }
    }
}

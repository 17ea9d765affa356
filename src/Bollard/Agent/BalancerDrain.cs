using Bollard.Balancer.Draining;
using Bollard.Scaler.Reconcile;

namespace Bollard.Agent;

/// <summary>Lets the scaler stop a replica as soon as this process's balancer has no request in flight to it.</summary>
internal sealed class BalancerDrain(IDrainMonitor monitor) : ILocalDrain
{
    public IReadOnlyList<string> Busy() => monitor.Busy();

    public Task WaitAsync(string instanceId, TimeSpan maxWait, CancellationToken cancellationToken) =>
        monitor.WaitUntilDrainedAsync(instanceId, maxWait, cancellationToken);
}

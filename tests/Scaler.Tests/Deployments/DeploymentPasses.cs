using Bollard.Scaler.Deployments;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Deployments;

internal static class DeploymentPasses
{
    /// <summary>What a reconcile pass does with a service's deployment: decide the step, then apply it.</summary>
    public static async Task<ServiceTarget> PassAsync(this DeploymentCoordinator coordinator, ServiceSpec desired, int total, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now)
    {
        var step = await coordinator.DecideAsync(desired, total, replicas, now, default);
        await coordinator.ApplyAsync(step, default);
        return step.Target;
    }
}

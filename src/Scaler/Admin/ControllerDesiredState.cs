using Bollard.Scaler.Cluster;
using Bollard.Scaler.Deployments;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The controller's desired state follows the state store: on takeover it forgets its rollouts and restores the
/// applied specs; while leading it restores them again whenever their version in the store moved past the one it holds
/// (an apply through another agent of the cluster; <see cref="AppliedSpecsWatch"/> usually follows it first, and this
/// round then finds nothing new).
/// </summary>
internal sealed class ControllerDesiredState(DesiredSpecsStore desired, DesiredSpecsRestorer restorer, DeploymentCoordinator deployments) : IControllerState
{
    public async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        await deployments.ForgetAsync(cancellationToken);
        await restorer.RestoreAsync(cancellationToken);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        await restorer.FollowAsync(await desired.VersionAsync(cancellationToken), cancellationToken);
}

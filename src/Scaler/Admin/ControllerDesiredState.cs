using Bollard.Scaler.Cluster;
using Bollard.Scaler.Deployments;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The controller's desired state follows the state store: on takeover it forgets its rollouts and restores the
/// applied specs; while leading it restores them again whenever their version in the store moved (an apply through
/// any agent of the cluster).
/// </summary>
internal sealed class ControllerDesiredState(DesiredSpecsStore desired, DesiredSpecsRestorer restorer, DeploymentCoordinator deployments) : IControllerState
{
    private ulong _version;

    public async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        await deployments.ForgetAsync(cancellationToken);
        var version = await desired.VersionAsync(cancellationToken);
        await restorer.RestoreAsync(cancellationToken);
        _version = version;
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var version = await desired.VersionAsync(cancellationToken);
        if (version != _version)
        {
            await restorer.RestoreAsync(cancellationToken);
            _version = version;
        }
    }
}

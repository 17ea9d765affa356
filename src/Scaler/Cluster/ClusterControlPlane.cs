using Bollard.Scaler.Admin;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The control plane of an agent in cluster mode: any agent answers. What reads or writes shared state is done here,
/// on this agent: apply and rollout start (an apply) write the applied specs to Consul, which every agent follows;
/// plan, status and rollout status read the applied specs, the hosts' reports, the catalog and the rollout records,
/// which cover every host. Rollout commands act on the controller's running rollouts: this agent runs them while it
/// is the controller, and otherwise passes them to the controller through Consul (<see cref="ControllerRequestClient"/>).
/// </summary>
internal sealed class ClusterControlPlane(SpecControlPlane local, LeaderGate gate, ControllerRequestClient controller, IOptions<ClusterOptions> options) : IControlPlane
{
    public Task<ValidationResult> ValidateAsync(IReadOnlyList<SpecFile> files, CancellationToken cancellationToken) => local.ValidateAsync(files, cancellationToken);

    public Task<PlanResult> PlanAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, CancellationToken cancellationToken) =>
        local.PlanAsync(files, options, cancellationToken);

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<SpecFile> files, ApplyOptions options, string actor, CancellationToken cancellationToken) =>
        local.ApplyAsync(files, options, actor, cancellationToken);

    public Task<IReadOnlyList<ServiceStatus>> GetServicesAsync(CancellationToken cancellationToken) => local.GetServicesAsync(cancellationToken);

    public Task<ServiceStatus?> GetServiceAsync(string service, CancellationToken cancellationToken) => local.GetServiceAsync(service, cancellationToken);

    public Task<RolloutStatus> StartRolloutAsync(string service, RolloutRequest request, string actor, CancellationToken cancellationToken) =>
        local.StartRolloutAsync(service, request, actor, cancellationToken);

    public Task<RolloutStatus?> GetRolloutAsync(string service, CancellationToken cancellationToken) => local.GetRolloutAsync(service, cancellationToken);

    public Task<RolloutStatus> CommandRolloutAsync(string service, RolloutCommand command, string actor, CancellationToken cancellationToken) =>
        gate.IsOpen
            ? local.CommandRolloutAsync(service, command, actor, cancellationToken)
            : controller.SendAsync(new ControllerRequest(service, command, $"{actor} through {options.Value.Agent}"), cancellationToken);
}

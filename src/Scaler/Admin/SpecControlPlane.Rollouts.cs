using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;
using Bollard.Scaler.State;
using AdminCommand = Bollard.Scaler.Admin.RolloutCommand;
using AdminPhase = Bollard.Scaler.Admin.RolloutPhase;
using EngineCommand = Bollard.Scaler.Rollouts.RolloutCommand;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Rollouts through the admin API. Starting one is an apply of the service's spec with the new image (or the given
/// spec): the new version differs from the stable one, so the reconcile loop starts the spec's rollout strategy on its
/// next pass. Commands go to the <see cref="Deployments.DeploymentCoordinator"/>, which saves the rollout durably.
/// </summary>
internal sealed partial class SpecControlPlane
{
    public async Task<RolloutStatus> StartRolloutAsync(string service, RolloutRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = specs.Current.FirstOrDefault(s => s.Name == service)
            ?? throw new ControlPlaneException(ControlPlaneError.NotFound, $"service '{service}' is not declared");
        var files = (await desired.LoadAsync(cancellationToken))?.Files.ToList() ?? [.. FilesFromDisk()];
        var next = request switch
        {
            { Spec: { } spec } => SpecImages.ReplaceService(files, service, spec),
            { Image: { Length: > 0 } image } => SpecImages.WithImage(files, service, image),
            _ => throw new ControlPlaneException(ControlPlaneError.Invalid, "a rollout needs a new image (\"image\") or a new spec (\"spec\")"),
        };

        // The image is resolved again even under the same reference: starting a rollout is how a moved tag is taken up.
        await ApplyAsync(next, new ApplyOptions(Prune: true), actor, fresh: service, cancellationToken);
        var target = specs.Current.First(s => s.Name == service);
        if (target.Version == current.Version)
        {
            throw new ControlPlaneException(ControlPlaneError.Conflict, $"service '{service}' already runs version {current.Version}: nothing to roll out");
        }

        return Starting(current.Version, target);
    }

    public async Task<RolloutStatus?> GetRolloutAsync(string service, CancellationToken cancellationToken)
    {
        var deployment = await records.ReadAsync(service, cancellationToken);
        var desired = specs.Current.FirstOrDefault(s => s.Name == service);

        // A rollout just asked for (by start or apply) is recorded on the next reconcile pass. Until then it is shown
        // as starting, not as missing or as the previous rollout: a script watching right after the start sees it.
        if (deployment is not null && desired is not null && desired.Version != deployment.Stable.Version && deployment.Rollout?.NewVersion != desired.Version)
        {
            return Starting(deployment.Stable.Version, desired);
        }

        return deployment is { Rollout: { } rollout } ? RolloutStatuses.Of(rollout) : null;
    }

    private RolloutStatus Starting(string fromVersion, ServiceSpec target)
    {
        var now = time.GetUtcNow();
        var strategy = target.Rollout.Strategy;
        return new RolloutStatus(target.Name, AdminPhase.Progressing, RolloutStatuses.StrategyName(strategy), fromVersion, target.Version, 0, RolloutStatuses.TotalSteps(strategy), [], "starts on the next reconcile pass", now, now);
    }

    public async Task<RolloutStatus> CommandRolloutAsync(string service, AdminCommand command, string actor, CancellationToken cancellationToken)
    {
        var result = await deployments.CommandAsync(service, (EngineCommand)(int)command, time.GetUtcNow(), cancellationToken);
        var outcome = result.Accepted ? "ok" : $"refused: {result.Reason}";
        await TryAuditAsync(new AuditEntry(time.GetUtcNow(), actor, $"rollout {command.ToString().ToLowerInvariant()}", service, result.Reason, outcome), cancellationToken);
        if (!result.Accepted)
        {
            throw new ControlPlaneException(result.State is null ? ControlPlaneError.NotFound : ControlPlaneError.Conflict, result.Reason);
        }

        return RolloutStatuses.Of(result.State);
    }

    private IEnumerable<SpecFile> FilesFromDisk() =>
        specs.Current.Select(s => s.Source).Where(File.Exists).Distinct(StringComparer.Ordinal).Select(path => new SpecFile(path, File.ReadAllText(path)));

}

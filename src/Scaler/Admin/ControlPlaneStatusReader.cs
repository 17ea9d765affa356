using Bollard.Discovery;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Admin;

/// <summary>
/// Service status: replicas from the catalog's healthy instances, weights from the deployment (a running rollout's
/// split, else all traffic on the serving version), expected availability from the replicas per zone, hosts lacking an
/// image from the last reconcile pass (the controller's). The catalog holds every host's replicas and the deployment
/// records are shared (<see cref="DeploymentRecords"/>), so any agent of a cluster answers for the whole cluster.
/// </summary>
internal sealed class ControlPlaneStatusReader(IServiceCatalog catalog, DeploymentRecords deployments, Reconcile.Reconciler reconciler, DecisionLog decisions, IOptions<ScalerOptions> options)
{
    public async Task<IReadOnlyList<ServiceStatus>> ReadAllAsync(IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken)
    {
        var statuses = new List<ServiceStatus>(specs.Count);
        foreach (var spec in specs.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            statuses.Add(await ReadSummaryAsync(spec, cancellationToken));
        }

        return statuses;
    }

    /// <summary>One service, with its recent failures and crash loops.</summary>
    public async Task<ServiceStatus> ReadAsync(ServiceSpec spec, CancellationToken cancellationToken)
    {
        var summary = await ReadSummaryAsync(spec, cancellationToken);
        var exits = (await decisions.ReadAsync(spec.Name, cancellationToken))
            .Where(d => d.Action == Reconcile.Reconciler.ExitAction)
            .OrderByDescending(d => d.At)
            .Take(FailureStatus.Shown)
            .Select(d => new FailureStatus(d.At, d.Subject ?? "-", d.Reason, d.Outcome))
            .ToList();
        return summary with { RecentFailures = exits, CrashLoops = reconciler.CrashLoopsOf(spec.Name) };
    }

    private async Task<ServiceStatus> ReadSummaryAsync(ServiceSpec spec, CancellationToken cancellationToken)
    {
        ServiceSnapshot? snapshot;
        try
        {
            snapshot = await catalog.GetHealthyAsync(spec.Name, cancellationToken);
        }
        catch (CatalogUnavailableException)
        {
            snapshot = null;
        }

        var groups = snapshot is null
            ? []
            : snapshot.Instances
                .GroupBy(i => (i.Zone, i.Version))
                .OrderBy(g => g.Key.Zone, StringComparer.Ordinal).ThenBy(g => g.Key.Version, StringComparer.Ordinal)
                .Select(g => new ReplicaGroup(g.Key.Zone, g.Key.Version, g.Count()))
                .ToList();
        var healthy = snapshot?.Instances.Length;
        var perZone = snapshot?.Instances.GroupBy(i => i.Zone, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var deployment = await deployments.ReadAsync(spec.Name, cancellationToken);
        var rollout = deployment?.Rollout;
        return new ServiceStatus(
            spec.Name,
            spec.Version,
            spec.Image,
            SpecFacts.ReplicasText(spec),
            healthy,
            groups,
            // Until a finished rollout has settled (blue/green's rollback window), its own final split is the truth.
            rollout is null || deployment!.Settled ? [new VersionWeight(deployment?.Stable.Version ?? spec.Version, 100)] : RolloutStatuses.Of(rollout).Weights,
            Health(healthy, SpecFacts.DesiredCount(spec)),
            perZone is null ? null : ExpectedAvailability.Compute(perZone, options.Value.ZoneAvailability),
            spec.Route,
            rollout is null ? null : RolloutStatuses.Of(rollout),
            spec.PinnedImage,
            MissingImagesOf(spec.Name),
            deployment?.Stable.Version ?? spec.Version,
            deployment is null ? spec.PinnedImage ?? spec.Image : deployment.Stable.PinnedImage ?? deployment.Stable.Image,
            RolledBack(spec, deployment));
    }

    /// <summary>
    /// Why the desired version serves nothing: its rollout rolled back (or was aborted) and it stays desired until a new
    /// version is applied. Without saying so, its image and id next to a 100% weight read as if it were live.
    /// </summary>
    private static string? RolledBack(ServiceSpec spec, Deployments.Deployment? deployment)
    {
        if (deployment is not { Rollout: { } rollout } || rollout.NewVersion != spec.Version || spec.Version == deployment.Stable.Version || !rollout.Phase.IsBackward())
        {
            return null;
        }

        var limit = rollout.Spec.Analysis.FailureLimit;
        var why = rollout.Phase == Rollouts.RolloutPhase.Aborted ? $"aborted ({rollout.Reason})"
            : rollout.FailedChecks >= limit && rollout.RecentChecks.LastOrDefault(c => c.Result.Verdict == AnalysisVerdict.Fail) is { } last
                ? $"rolled back after {rollout.FailedChecks} failed check{(rollout.FailedChecks == 1 ? "" : "s")} (limit {limit}; the last one {last.Result.Reason})"
                : $"rolled back ({rollout.Reason})";
        return $"version {spec.Version} was {why}; {deployment.Stable.Version} serves every request until a new version is applied";
    }

    private List<HostImageStatus> MissingImagesOf(string service) =>
        [.. (reconciler.LastPlan?.MissingImages ?? [])
            .Where(m => m.Service == service)
            .Select(m => new HostImageStatus(m.Host, m.Version, m.Image, m.State.ToString().ToLowerInvariant(), m.Why))];

    internal static string Health(int? healthy, int desired) => healthy switch
    {
        null => "unknown",
        _ when healthy >= desired => "healthy",
        0 => "down",
        _ => "degraded",
    };
}

using System.Collections.Immutable;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// What one service should run now, decided before placement: a replica count per version (one version normally;
/// two during a rollout). The autoscaler decides the total; a rollout splits it between versions.
/// </summary>
/// <param name="Service">The service name.</param>
/// <param name="Versions">The versions to run and how many replicas of each, the newest last.</param>
/// <param name="RemoveOtherVersions">Whether replicas of versions not listed may go (once the listed ones are
/// healthy). False while a rollout keeps an old version warm, e.g. for a blue/green rollback window.</param>
public sealed record ServiceTarget(string Service, ImmutableArray<VersionTarget> Versions, bool RemoveOtherVersions = true)
{
    public int Total => Versions.Sum(v => v.Replicas);

    /// <summary>A service without a rollout: its current spec at <paramref name="replicas"/>.</summary>
    public static ServiceTarget Steady(ServiceSpec spec, int replicas) => new(spec.Name, [new VersionTarget(spec, replicas)]);
}

/// <summary>One version's spec (which makes its containers) and its replica count.</summary>
public sealed record VersionTarget(ServiceSpec Spec, int Replicas)
{
    public string Version => Spec.Version;
}

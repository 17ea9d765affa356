using System.Collections.Immutable;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// The pure heart of the agent: compares desired with observed state from scratch and says what to do, with a
/// reason for each step. Level-triggered, so running it twice on the same input gives the same plan, and a pass that
/// was interrupted is simply finished by the next one.
/// </summary>
/// <remarks>
/// Per service, in order:
/// 1. A replica that is not running, never passed its check within the start period, or failed
///    <see cref="HealthCheckSpec.UnhealthyThreshold"/> checks in a row is removed (and so replaced by rule 3).
/// 2. A passing replica not yet in the catalog is registered; a replica is never registered before it passed.
/// 3. Each targeted version is placed over the available hosts that hold its image or can pull it
///    (<see cref="VersionPlanner"/>, <see cref="Placement.ImageRule"/>): hosts below their target get new replicas, once
///    the image is there (a host lacking it pulls it first); surplus replicas go only while the version keeps its target of healthy replicas
///    (launch before terminate), and never for a service frozen by an unreachable host.
/// 4. Versions no longer targeted are removed once every targeted version has its healthy replicas.
/// Containers of services no longer declared are removed, unless frozen.
/// </remarks>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(ReconcileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actions = new List<ReconcileAction>();
        var counts = new List<ServiceCount>();
        var missing = new List<MissingImage>();
        // One pass over the replicas, not one per service: with hundreds of services the per-service scan was the
        // planner's largest cost (services x replicas string comparisons).
        var byService = ReplicaGroups.ByService(input.Replicas);
        foreach (var target in input.Targets)
        {
            counts.Add(PlanService(target, byService.Remove(target.Service, out var replicas) ? replicas : [], input, actions, missing));
        }

        // What is left belongs to services no longer declared.
        foreach (var orphan in byService.Where(g => !input.Frozen.Contains(g.Key)).SelectMany(g => g.Value))
        {
            actions.Add(new RemoveReplica(orphan.Host, orphan.Container, SpecDefaults.DrainTimeout, SpecDefaults.StopGracePeriod, $"service '{orphan.Container.Service}' is no longer declared"));
        }

        return new ReconcilePlan(actions, counts) { MissingImages = missing };
    }

    private static ServiceCount PlanService(ServiceTarget target, List<ReplicaView> replicas, ReconcileInput input, List<ReconcileAction> actions, List<MissingImage> missing)
    {
        // Health rules come from the newest spec; every version of a service is checked the same way.
        var newest = target.Versions[^1].Spec;
        var healthy = new List<ReplicaView>();
        var untargeted = new List<ReplicaView>();
        var byVersion = target.Versions.ToDictionary(v => v.Version, _ => new List<ReplicaView>(), StringComparer.Ordinal);

        foreach (var replica in replicas)
        {
            if (ReplicaFailures.FailureOf(newest, replica, input.Now) is { } failure)
            {
                actions.Add(new RemoveReplica(replica.Host, replica.Container, TimeSpan.Zero, newest.StopGracePeriod, failure.Reason) { Failure = failure });
                continue;
            }

            if (replica.Health.Passing)
            {
                healthy.Add(replica);
                if (!replica.Registered)
                {
                    var spec = target.Versions.FirstOrDefault(v => v.Version == replica.Container.Version)?.Spec ?? newest;
                    actions.Add(new RegisterReplica(spec, replica.Host, replica.Container, "health check passed"));
                }
            }

            (byVersion.TryGetValue(replica.Container.Version, out var list) ? list : untargeted).Add(replica);
        }

        var frozen = input.Frozen.Contains(target.Service);
        var desiredPerZone = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var allAtTarget = true;
        foreach (var version in target.Versions)
        {
            var placed = VersionPlanner.Plan(version, byVersion[version.Version], input, frozen, actions, missing);
            allAtTarget &= placed.HealthyAtTarget;
            foreach (var (zone, count) in placed.Zones)
            {
                desiredPerZone[zone] = desiredPerZone.GetValueOrDefault(zone) + count;
            }
        }

        if (target.RemoveOtherVersions && allAtTarget && !frozen)
        {
            foreach (var old in untargeted)
            {
                actions.Add(new RemoveReplica(old.Host, old.Container, newest.DrainTimeout, newest.StopGracePeriod, $"version {old.Container.Version} is no longer targeted and the targeted versions are healthy"));
            }
        }

        var live = byVersion.Values.Sum(l => l.Count);
        var healthyPerZone = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var replica in healthy)
        {
            healthyPerZone[replica.Container.Zone] = healthyPerZone.GetValueOrDefault(replica.Container.Zone) + 1;
        }

        return new ServiceCount(target.Service, target.Total, live, healthy.Count, desiredPerZone.ToImmutable(), healthyPerZone.ToImmutable());
    }
}

using Bollard.Scaler.Placement;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Places one version's replicas over the hosts and turns the placement into creates and removals. Creates go to
/// the hosts below their target; surplus replicas are removed only while the version still has its target of
/// healthy replicas without them, starting with those that do not pass (they serve nobody) and then the newest.
/// </summary>
/// <remarks>Runs for every version of every service on every pass: the steady case (nothing to do) builds no
/// strings and allocates little; the placement's words are written only for a create.</remarks>
internal static class VersionPlanner
{
    public static (bool HealthyAtTarget, IReadOnlyDictionary<string, int> Zones) Plan(
        VersionTarget version, List<ReplicaView> live, ReconcileInput input, bool frozen, List<ReconcileAction> actions)
    {
        var spec = version.Spec;
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        var healthy = 0;
        foreach (var replica in live)
        {
            current[replica.Host] = current.GetValueOrDefault(replica.Host) + 1;
            healthy += replica.Health.Passing ? 1 : 0;
        }

        var (targets, zones) = PlacementPolicy.Targets(version.Replicas, input.Hosts, current, spec.Placement);
        string? reason = null;
        foreach (var host in targets)
        {
            if (!host.Available || host.Change <= 0 || input.CreateBlocked.Contains(spec.Name))
            {
                continue;
            }

            reason ??= PlacementReason.Describe(version.Replicas, targets, zones, spec.Placement);
            for (var i = 0; i < host.Change; i++)
            {
                actions.Add(new CreateReplica(spec, host.Host, $"{host.Current} of {host.Target} replicas of {version.Version} on {host.Host} ({host.Zone}); {reason}"));
            }
        }

        // Launch before terminate: keep at least the target of passing replicas while removing surplus.
        var removablePassing = Math.Max(0, healthy - version.Replicas);
        foreach (var host in targets)
        {
            if (frozen)
            {
                break;
            }

            if (!host.Available || host.Change >= 0)
            {
                continue;
            }

            var surplus = live.Where(r => r.Host == host.Host)
                .OrderBy(r => r.Health.Passing)
                .ThenByDescending(r => r.Container.Created)
                .ThenBy(r => r.Container.Id, StringComparer.Ordinal)
                .Take(-host.Change);
            foreach (var extra in surplus)
            {
                if (extra.Health.Passing && removablePassing-- <= 0)
                {
                    break;
                }

                actions.Add(new RemoveReplica(host.Host, extra.Container, spec.DrainTimeout, spec.StopGracePeriod, $"{host.Current} replicas of {version.Version} on {host.Host}, target {host.Target} ({healthy} healthy, {version.Replicas} desired)"));
            }
        }

        return (healthy >= version.Replicas, zones);
    }
}

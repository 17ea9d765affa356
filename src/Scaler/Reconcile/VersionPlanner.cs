using Bollard.Scaler.Placement;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// Places one version's replicas over the hosts and turns the placement into creates and removals. Creates go to
/// the hosts below their target; surplus replicas are removed only while the version still has its target of
/// healthy replicas without them, starting with those that do not pass (they serve nobody) and then the newest.
/// </summary>
internal static class VersionPlanner
{
    public static (bool HealthyAtTarget, IReadOnlyDictionary<string, int> Zones) Plan(
        VersionTarget version, List<ReplicaView> live, ReconcileInput input, bool frozen, List<ReconcileAction> actions)
    {
        var spec = version.Spec;
        var current = live.GroupBy(r => r.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var placement = PlacementPolicy.Place(version.Replicas, input.Hosts, current, spec.Placement);
        var healthy = live.Count(r => r.Health.Passing);

        foreach (var host in placement.Hosts.Where(h => h.Available && h.Change > 0))
        {
            if (input.CreateBlocked.Contains(spec.Name))
            {
                break;
            }

            for (var i = 0; i < host.Change; i++)
            {
                actions.Add(new CreateReplica(spec, host.Host, $"{host.Current} of {host.Target} replicas of {version.Version} on {host.Host} ({host.Zone}); {placement.Reason}"));
            }
        }

        // Launch before terminate: keep at least the target of passing replicas while removing surplus.
        var removablePassing = Math.Max(0, healthy - version.Replicas);
        foreach (var host in placement.Hosts.Where(h => h.Available && h.Change < 0))
        {
            if (frozen)
            {
                break;
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

        return (healthy >= version.Replicas, placement.Zones);
    }
}

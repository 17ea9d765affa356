using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// The pure heart of the host agent: compares desired with observed state from scratch and says what to do, with a
/// reason for each step. Level-triggered, so running it twice on the same input gives the same plan, and a pass that
/// was interrupted is simply finished by the next one.
/// </summary>
/// <remarks>
/// Rules, in order, per service:
/// 1. A container that is not running is removed (and replaced by rule 5).
/// 2. A current-version replica that never passed its check within the start period, or failed
///    <see cref="HealthCheckSpec.UnhealthyThreshold"/> checks in a row, is removed (and replaced).
/// 3. A passing replica not yet in the catalog is registered; a replica is never registered before it passed.
/// 4. Replicas of an older version are removed only once enough current-version replicas pass: never fewer serving.
/// 5. Too few live replicas: create the difference. Too many: remove the surplus, starting ones first, then newest.
/// Containers of services no longer declared are removed.
/// </remarks>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(ReconcileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actions = new List<ReconcileAction>();
        var counts = new List<ServiceCount>();
        var declared = input.Specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var spec in input.Specs)
        {
            var replicas = input.Replicas.Where(r => r.Container.Service == spec.Name).ToList();
            counts.Add(PlanService(spec, replicas, input, actions));
        }

        foreach (var orphan in input.Replicas.Where(r => !declared.Contains(r.Container.Service)))
        {
            var drain = orphan.Container.State == ContainerRunState.Running ? SpecDefaults.DrainTimeout : TimeSpan.Zero;
            actions.Add(new RemoveReplica(orphan.Container, drain, SpecDefaults.StopGracePeriod, $"service '{orphan.Container.Service}' is no longer declared"));
        }

        return new ReconcilePlan(actions, counts);
    }

    private static ServiceCount PlanService(ServiceSpec spec, List<ReplicaView> replicas, ReconcileInput input, List<ReconcileAction> actions)
    {
        var version = spec.Version;
        var live = new List<ReplicaView>();
        var older = new List<ReplicaView>();

        foreach (var replica in replicas)
        {
            if (FailureOf(spec, replica, input.Now) is { } failure)
            {
                actions.Add(new RemoveReplica(replica.Container, TimeSpan.Zero, spec.StopGracePeriod, failure));
                continue;
            }

            if (replica.Health.Passing && !replica.Registered)
            {
                actions.Add(new RegisterReplica(spec, replica.Container, "health check passed"));
            }

            (replica.Container.Version == version ? live : older).Add(replica);
        }

        var healthy = live.Count(r => r.Health.Passing);
        if (healthy >= spec.Replicas)
        {
            foreach (var old in older)
            {
                actions.Add(new RemoveReplica(old.Container, spec.DrainTimeout, spec.StopGracePeriod, $"version {old.Container.Version} replaced by {version} ({healthy} of {spec.Replicas} healthy)"));
            }
        }

        if (live.Count < spec.Replicas && !input.CreateBlocked.Contains(spec.Name))
        {
            for (var i = live.Count; i < spec.Replicas; i++)
            {
                actions.Add(new CreateReplica(spec, $"{live.Count} of {spec.Replicas} replicas live"));
            }
        }
        else if (live.Count > spec.Replicas)
        {
            // Remove the ones doing the least good first: not yet passing, then the newest (least warmed up).
            var surplus = live
                .OrderBy(r => r.Health.Passing)
                .ThenByDescending(r => r.Container.Created)
                .ThenBy(r => r.Container.Id, StringComparer.Ordinal)
                .Take(live.Count - spec.Replicas);
            foreach (var extra in surplus)
            {
                actions.Add(new RemoveReplica(extra.Container, spec.DrainTimeout, spec.StopGracePeriod, $"{live.Count} replicas live, {spec.Replicas} desired"));
            }
        }

        return new ServiceCount(spec.Name, spec.Replicas, live.Count, healthy);
    }

    private static string? FailureOf(ServiceSpec spec, ReplicaView replica, DateTimeOffset now)
    {
        var container = replica.Container;
        if (container.State == ContainerRunState.Stopped)
        {
            return "container is not running (exited or killed)";
        }

        if (!replica.Health.EverPassed && now - container.Created > spec.Health.StartPeriod)
        {
            return $"no passing health check within the start period of {Durations.Format(spec.Health.StartPeriod)}";
        }

        if (replica.Health.ConsecutiveFailures >= spec.Health.UnhealthyThreshold && replica.Health.EverPassed)
        {
            return $"{replica.Health.ConsecutiveFailures} consecutive failed health checks";
        }

        return null;
    }
}

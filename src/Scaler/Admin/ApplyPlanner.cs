using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The plan of an apply, as a pure function of the desired specs now, the specs to apply and the containers running
/// per service and version. Without running counts (the engine cannot be read) the counts come from the specs.
/// </summary>
public static class ApplyPlanner
{
    public static PlanResult Plan(
        IReadOnlyList<ServiceSpec> current,
        IReadOnlyList<ServiceSpec> desired,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? running)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var before = current.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var after = desired.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var names = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal);
        return new PlanResult([.. names.Select(n => PlanService(before.GetValueOrDefault(n), after.GetValueOrDefault(n), running?.GetValueOrDefault(n)))]);
    }

    private static ServicePlan PlanService(ServiceSpec? from, ServiceSpec? to, IReadOnlyDictionary<string, int>? running)
    {
        var service = (to ?? from)!.Name;
        running ??= from is null ? new Dictionary<string, int>() : new Dictionary<string, int> { [from.Version] = SpecFacts.DesiredCount(from) };
        var changes = to is null ? ["removed"] : from is null ? ["added"] : SpecFacts.Differences(from, to);
        var change = (from, to) switch
        {
            (null, _) => PlanChange.Added,
            (_, null) => PlanChange.Removed,
            _ when changes.Count > 0 => PlanChange.Changed,
            _ => PlanChange.Unchanged,
        };

        var create = 0;
        var remove = running.Values.Sum();
        if (to is not null)
        {
            // An autoscaled service keeps its current count when it is within the new range.
            var same = running.GetValueOrDefault(to.Version);
            var target = SpecFacts.TargetCount(to, remove);
            create = Math.Max(0, target - same);
            remove -= Math.Min(same, target);
        }

        return new ServicePlan(
            service,
            change,
            from?.Version,
            to?.Version,
            from is null ? null : SpecFacts.ReplicasText(from),
            to is null ? null : SpecFacts.ReplicasText(to),
            from?.Route,
            to?.Route,
            change == PlanChange.Unchanged ? [] : changes,
            create,
            remove,
            to is null ? [] : [new VersionWeight(to.Version, 100)],
            to?.PinnedImage);
    }
}

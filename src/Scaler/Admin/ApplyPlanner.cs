using System.Security.Cryptography;
using System.Text;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The plan of an apply, as a pure function of the desired specs now, the specs to apply and the containers running
/// per service and version. Without running counts (the engine cannot be read) the counts come from the specs.
/// </summary>
public static class ApplyPlanner
{
    /// <param name="current">The desired specs now.</param>
    /// <param name="given">The specs being applied.</param>
    /// <param name="running">Running containers per service and version; null when the engine cannot be read.</param>
    /// <param name="prune">Whether services missing from <paramref name="given"/> are removed (else they are kept as they are).</param>
    public static PlanResult Plan(
        IReadOnlyList<ServiceSpec> current,
        IReadOnlyList<ServiceSpec> given,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? running,
        bool prune = true)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(given);
        var before = current.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var after = given.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var names = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal);
        return new PlanResult(
            [.. names.Select(n => after.ContainsKey(n) || prune
                ? PlanService(before.GetValueOrDefault(n), after.GetValueOrDefault(n), running?.GetValueOrDefault(n))
                : Kept(before[n]))],
            PlanId(current));
    }

    /// <summary>
    /// The id of a plan: a hash of the desired state it was computed against (every field of every desired spec). An
    /// apply that carries it is refused when the desired state has moved since.
    /// </summary>
    public static string PlanId(IReadOnlyList<ServiceSpec> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var text = new StringBuilder();
        foreach (var spec in current.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            text.Append("service ").Append(spec.Name).Append('\n');
            foreach (var field in SpecComparison.Fields(spec))
            {
                text.Append(field).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static ServicePlan Kept(ServiceSpec spec) => new(
        spec.Name,
        PlanChange.Kept,
        spec.Version,
        spec.Version,
        SpecFacts.ReplicasText(spec),
        SpecFacts.ReplicasText(spec),
        spec.Route,
        spec.Route,
        ["not in the given files: left as it is (apply --prune removes it)"],
        0,
        0,
        [new VersionWeight(spec.Version, 100)],
        spec.PinnedImage);

    private static ServicePlan PlanService(ServiceSpec? from, ServiceSpec? to, IReadOnlyDictionary<string, int>? running)
    {
        var service = (to ?? from)!.Name;
        running ??= from is null ? new Dictionary<string, int>() : new Dictionary<string, int> { [from.Version] = SpecFacts.DesiredCount(from) };
        List<string> changes = to is null ? ["removed"] : from is null ? ["added"] : [.. SpecComparison.Differences(from, to)];
        var change = (from, to) switch
        {
            (null, _) => PlanChange.Added,
            (_, null) => PlanChange.Removed,
            _ when changes.Count > 0 => PlanChange.Changed,
            _ => PlanChange.Unchanged,
        };

        var now = running.Values.Sum();
        var create = 0;
        var remove = now;
        var target = 0;
        if (to is not null)
        {
            // An autoscaled service keeps its current count when it is within the new range.
            var same = running.GetValueOrDefault(to.Version);
            target = SpecFacts.TargetCount(to, now);
            create = Math.Max(0, target - same);
            remove -= Math.Min(same, target);
        }

        var weights = to is null ? [] : Weights(from, to);
        if (from is not null && to is not null && weights.Count > 1)
        {
            changes.Add($"rollout: canary, the new version starts with {Percent(weights[1].Percent)} of the requests");
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
            weights,
            to?.PinnedImage)
        {
            Caution = Caution(to, now, target),
        };
    }

    /// <summary>
    /// The split the apply leads to first: a new version rolled out as a canary gets its first step's share (the stable
    /// version the rest), any other change ends with all requests on the new version.
    /// </summary>
    private static List<VersionWeight> Weights(ServiceSpec? from, ServiceSpec to)
    {
        if (from is null || from.Version == to.Version || to.Rollout.Strategy is not CanarySpec canary)
        {
            return [new VersionWeight(to.Version, 100)];
        }

        var first = canary.Steps.OfType<SetWeightStep>().FirstOrDefault()?.PerMille ?? 0;
        return [new VersionWeight(from.Version, (Rollouts.Weights.Total - first) / 10.0), new VersionWeight(to.Version, first / 10.0)];
    }

    /// <summary>Why an operator should look twice before this apply: a removal, or replicas cut by more than half.</summary>
    private static string? Caution(ServiceSpec? to, int now, int target) => to is null
        ? $"removes the service{(now > 0 ? $" and its {now} replica(s)" : "")}"
        : target * 2 < now ? $"lowers the replicas from {now} to {target}" : null;

    private static string Percent(double percent) => percent.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

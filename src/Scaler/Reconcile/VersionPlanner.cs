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
        VersionTarget version, List<ReplicaView> live, ReconcileInput input, bool frozen, List<ReconcileAction> actions, List<MissingImage> missing)
    {
        var spec = version.Spec;
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        var healthy = 0;
        foreach (var replica in live)
        {
            current[replica.Host] = current.GetValueOrDefault(replica.Host) + 1;
            healthy += replica.Health.Passing ? 1 : 0;
        }

        // Only hosts that hold the image or can pull it take part (see ImageRule).
        var image = spec.PinnedImage ?? spec.Image;
        var slots = ImageRule.SlotsFor(image, input.Hosts, input.Images);
        var (targets, zones) = PlacementPolicy.Targets(version.Replicas, slots, current, spec.Placement);
        var skipped = NoteMissing(version, image, input, missing);
        string? reason = null;
        var crashing = input.CrashBackoff.Count > 0 && input.CrashBackoff.Contains((spec.Name, version.Version));
        foreach (var host in targets)
        {
            if (!host.Available || host.Change <= 0 || crashing || input.CreateBlocked.Contains((spec.Name, host.Host)))
            {
                continue;
            }

            var onHost = ImageRule.On(image, input.Images.GetValueOrDefault(host.Host));
            if (onHost.State != ImageState.Present)
            {
                // Replicas wait for the image: pulled once per host, whichever versions and services need it.
                if (onHost.State == ImageState.Pullable && !actions.Any(a => a is PullImage p && p.Host == host.Host && p.Image == image))
                {
                    actions.Add(new PullImage(spec.Name, host.Host, image, $"{host.Host} lacks the image of {version.Version} and is to run {host.Change} more of its replicas"));
                }

                continue;
            }

            reason ??= PlacementReason.Describe(version.Replicas, targets, zones, spec.Placement) + skipped;
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

    /// <summary>
    /// Adds the reachable hosts pulling the version's image, or unable to get it, to <paramref name="missing"/>, and returns the words for
    /// the placement's reason naming the hosts left out for it ("" when none; no allocation when no host lacks it).
    /// </summary>
    private static string NoteMissing(VersionTarget version, string image, ReconcileInput input, List<MissingImage> missing)
    {
        if (input.Images.Count == 0)
        {
            return "";
        }

        List<string>? left = null;
        foreach (var host in input.Hosts)
        {
            // A pullable image is pulled when the host is to run a replica of it: until then its lack is no news.
            if (!host.Available || ImageRule.On(image, input.Images.GetValueOrDefault(host.Host)) is not { State: ImageState.Pulling or ImageState.Unobtainable } onHost)
            {
                continue;
            }

            missing.Add(new MissingImage(version.Spec.Name, version.Version, host.Host, image, onHost.State, onHost.Why ?? ""));
            if (onHost.State == ImageState.Unobtainable)
            {
                (left ??= []).Add($"{host.Host} (lacks {image}: {onHost.Why})");
            }
        }

        return left is null ? "" : $"; not placed on {string.Join(", ", left)}";
    }
}

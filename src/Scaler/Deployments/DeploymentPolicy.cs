using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// The deployment step as a pure function of the stored record, the desired spec, the replicas, the versions' traffic
/// and the time: which rollout runs, where it goes next, the weights and the replicas of each version. The
/// <see cref="DeploymentCoordinator"/> gathers the inputs and applies the result.
/// </summary>
internal static class DeploymentPolicy
{
    /// <summary>
    /// The record this pass starts from: the stored one, or a first one (adopting what runs), with the desired spec
    /// taken in (which may start or abort a rollout).
    /// </summary>
    public static Deployment Begin(Deployment? known, ServiceSpec desired, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, List<Decision> decided) =>
        Begin(known ?? Adopt(desired, replicas, now, decided), desired, now, decided);

    /// <summary>A service without a running rollout: its stable version at the total; weights cleared unless known to be.</summary>
    public static DeploymentStep Steady(StoredDeployment? from, Deployment deployment, int total, bool weightsCleared, IReadOnlyList<Decision> decided) =>
        new(deployment.Stable.Name, from, deployment, decided, weightsCleared ? null : WeightsUpdate.Clear, ServiceTarget.Steady(deployment.Stable, total));

    /// <summary>One step of a running rollout: advanced on what the versions' replicas and traffic show.</summary>
    public static DeploymentStep Advance(StoredDeployment? from, Deployment deployment, RolloutObservation observation, DateTimeOffset now, List<Decision> decided)
    {
        var step = RolloutEngine.Advance(deployment.Rollout!, observation, now);
        var next = Finish(deployment with { Rollout = step.State }, step);
        Describe(deployment.Stable.Name, deployment.Rollout!, step, now, decided);
        return new DeploymentStep(deployment.Stable.Name, from, next, decided, WeightsOf(next, step), TargetOf(deployment, step));
    }

    /// <summary>
    /// The first record of a service (first start, or the state store lost it). When another version runs more
    /// replicas than the desired one, and its containers' labels say what it is, it is the stable version: the desired
    /// one is then rolled out with the spec's strategy instead of replacing it as soon as it is healthy.
    /// </summary>
    private static Deployment Adopt(ServiceSpec desired, IReadOnlyList<ReplicaView> replicas, DateTimeOffset now, List<Decision> decided)
    {
        var running = replicas.Where(r => r.Container.State == Runtime.ContainerRunState.Running).ToList();
        var wanted = running.Count(r => r.Container.Version == desired.Version);
        var other = running.Where(r => r.Container.Version != desired.Version)
            .GroupBy(r => r.Container.Version, StringComparer.Ordinal)
            .Where(g => g.Count() > wanted)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Count: g.Count(), Spec: g.Select(r => VersionSettings.Restore(desired, r.Container)).FirstOrDefault(s => s is not null)))
            .FirstOrDefault();
        if (other.Spec is not { } stable)
        {
            return new Deployment(desired);
        }

        decided.Add(new Decision(now, desired.Name, "adopt", stable.Version, $"no deployment record: the {other.Count} running replicas of {stable.Version} are the stable version, {desired.Version} is rolled out from them", "adopted"));
        return new Deployment(stable);
    }

    private static Deployment Begin(Deployment deployment, ServiceSpec desired, DateTimeOffset now, List<Decision> decided)
    {
        if (desired.Version == deployment.Stable.Version)
        {
            // Same containers; settings that do not make a version (replicas, route, health timings) follow the spec.
            if (deployment.IsRolling && RolloutEngine.Apply(deployment.Rollout!, RolloutCommand.Abort, now) is { Accepted: true } abort)
            {
                // The desired spec went back to the stable version mid-rollout: the new version is no longer wanted.
                decided.Add(new Decision(now, desired.Name, "rollout abort", deployment.Rollout!.NewVersion, $"the desired version is the stable {desired.Version} again; {abort.Reason}", "accepted"));
                return deployment with { Stable = desired, Rollout = abort.State };
            }

            return deployment with { Stable = desired };
        }

        if (deployment.Rollout is { } last && last.NewVersion == desired.Version)
        {
            return deployment with { New = desired }; // running, succeeded-then-undone, or rolled back: no retry
        }

        var rollout = RolloutEngine.Start(desired.Name, deployment.Stable.Version, desired.Version, desired.Rollout, now);
        decided.Add(new Decision(now, desired.Name, "rollout start", desired.Version, $"desired version {desired.Version} differs from stable {deployment.Stable.Version}; strategy {desired.Rollout.Strategy.GetType().Name.Replace("Spec", "", StringComparison.Ordinal)}", "started"));
        return deployment with { Rollout = rollout, New = desired, Settled = false };
    }

    /// <summary>Settles a finished rollout once the version it leaves behind may go: the new version becomes the stable
    /// one after a success; after a rollback or abort the stable version stays.</summary>
    private static Deployment Finish(Deployment deployment, RolloutStep step)
    {
        if (!step.State.Phase.IsFinished() || step.RemovableVersion is null)
        {
            return deployment;
        }

        return step.State.Phase == RolloutPhase.Succeeded
            ? deployment with { Stable = deployment.New!, Previous = deployment.Stable, Settled = true }
            : deployment with { Settled = true };
    }

    private static ServiceTarget TargetOf(Deployment deployment, RolloutStep step) =>
        new(deployment.Stable.Name, [new VersionTarget(deployment.Stable, step.StableReplicas), new VersionTarget(deployment.New!, step.NewReplicas)]);

    /// <summary>A rolling update has no weights of its own (traffic follows the ready replicas); the others split by weight.</summary>
    private static WeightsUpdate WeightsOf(Deployment next, RolloutStep step) =>
        next.New!.Rollout.Strategy is RollingSpec
            ? WeightsUpdate.Clear
            : new WeightsUpdate(new Dictionary<string, int>(StringComparer.Ordinal) { [step.State.StableVersion] = step.StableWeight, [step.State.NewVersion] = step.NewWeight });

    private static void Describe(string service, RolloutState before, RolloutStep step, DateTimeOffset now, List<Decision> decided)
    {
        if (step.Check is { } check)
        {
            decided.Add(new Decision(now, service, "rollout analysis", step.State.NewVersion, check.Result.Reason, check.Result.Verdict.ToString()));
        }

        if (before.Phase != step.State.Phase || before.StepIndex != step.State.StepIndex || before.CanaryWeight != step.State.CanaryWeight)
        {
            decided.Add(new Decision(
                now, service, "rollout step", step.State.NewVersion, step.Reason,
                $"{step.State.Phase}: weight {Weights.Percent(step.NewWeight)} new, replicas {step.StableReplicas} stable + {step.NewReplicas} new"));
        }
    }
}

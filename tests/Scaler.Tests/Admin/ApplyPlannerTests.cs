using Bollard.Scaler.Admin;
using Bollard.Scaler.Rollouts;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Admin;

public sealed class ApplyPlannerTests
{
    private static readonly ServiceSpec Web = new() { Name = "web", Image = "app:v1", Port = 8080, Replicas = ReplicaRange.Fixed(3) };

    [Fact]
    public void An_added_service_creates_its_replicas_and_a_removed_one_removes_what_runs()
    {
        var api = Web with { Name = "api" };
        var running = Running(("api", api.Version, 2));

        var plan = ApplyPlanner.Plan([api], [Web], running);

        Assert.Equal(
            [("api", PlanChange.Removed, 0, 2), ("web", PlanChange.Added, 3, 0)],
            plan.Services.Select(s => (s.Service, s.Change, s.ContainersToCreate, s.ContainersToRemove)));
        Assert.True(plan.HasChanges);
    }

    [Fact]
    public void A_new_image_replaces_every_replica_and_says_why()
    {
        var v2 = Web with { Image = "app:v2" };

        var service = Assert.Single(ApplyPlanner.Plan([Web], [v2], Running(("web", Web.Version, 3))).Services);

        Assert.Equal((PlanChange.Changed, 3, 3), (service.Change, service.ContainersToCreate, service.ContainersToRemove));
        Assert.Contains("image: app:v1 -> app:v2", service.Changes);
        Assert.Equal([new VersionWeight(v2.Version, 100)], service.Weights);
    }

    [Fact]
    public void More_replicas_only_adds_and_a_route_change_touches_no_container()
    {
        var more = Web with { Replicas = ReplicaRange.Fixed(5), Route = new RouteSpec(null, "/api") };

        var service = Assert.Single(ApplyPlanner.Plan([Web], [more], Running(("web", Web.Version, 3))).Services);

        Assert.Equal((2, 0), (service.ContainersToCreate, service.ContainersToRemove));
        Assert.Equal(("3", "5"), (service.FromReplicas, service.ToReplicas));
        Assert.Contains(service.Changes, c => c.StartsWith("route:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_route_timeout_or_limit_change_is_shown_and_touches_no_container()
    {
        var routed = Web with { Route = new RouteSpec(null, "/api") };
        var tuned = Web with { Route = new RouteSpec(null, "/api") { Timeout = TimeSpan.FromSeconds(5), MaxConcurrentRequests = 200 } };

        var service = Assert.Single(ApplyPlanner.Plan([routed], [tuned], Running(("web", Web.Version, 3))).Services);

        Assert.Equal((0, 0), (service.ContainersToCreate, service.ContainersToRemove));
        Assert.Equal(["route.timeout: none -> 5s", "route.maxConcurrentRequests: none -> 200"], service.Changes);
    }

    [Fact]
    public void An_autoscaled_service_keeps_its_count_when_it_is_within_the_range()
    {
        var ranged = Web with { Replicas = new ReplicaRange(2, 10) };

        var service = Assert.Single(ApplyPlanner.Plan([Web], [ranged], Running(("web", Web.Version, 7))).Services);

        Assert.Equal((0, 0), (service.ContainersToCreate, service.ContainersToRemove));
    }

    [Fact]
    public void Env_changes_name_the_variables_but_never_show_their_values()
    {
        var secret = Scaler.Secrets.EnvDigests.Apply(Web with { Env = Web.Env.With("DB_PASSWORD", "hunter2") }, Scaler.Secrets.SecretKey.Ephemeral());

        var service = Assert.Single(ApplyPlanner.Plan([Web], [secret], null).Services);

        Assert.Contains("env: DB_PASSWORD added", service.Changes);
        Assert.DoesNotContain(service.Changes, c => c.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_specs_plan_no_changes()
    {
        var plan = ApplyPlanner.Plan([Web], [Web with { Source = "other.yaml" }], Running(("web", Web.Version, 3)));

        Assert.False(plan.HasChanges);
        Assert.Equal((0, 0), (plan.Services[0].ContainersToCreate, plan.Services[0].ContainersToRemove));
    }

    [Fact]
    public void Without_prune_a_service_missing_from_the_files_is_kept_and_the_plan_says_so()
    {
        var api = Web with { Name = "api" };

        var kept = ApplyPlanner.Plan([api, Web], [Web], Running(("api", api.Version, 2), ("web", Web.Version, 3)), prune: false);
        var pruned = ApplyPlanner.Plan([api, Web], [Web], Running(("api", api.Version, 2), ("web", Web.Version, 3)), prune: true);

        var service = kept.Services.Single(s => s.Service == "api");
        Assert.Equal((PlanChange.Kept, 0, 0), (service.Change, service.ContainersToCreate, service.ContainersToRemove));
        Assert.Contains("apply --prune removes it", Assert.Single(service.Changes), StringComparison.Ordinal);
        Assert.False(kept.HasChanges);
        Assert.Empty(kept.Cautions);
        Assert.Equal((PlanChange.Removed, 2), (pruned.Services[0].Change, pruned.Services[0].ContainersToRemove));
        Assert.Equal(["api: removes the service and its 2 replica(s)"], pruned.Cautions);
    }

    [Theory]
    [InlineData(10, 4, true)]
    [InlineData(3, 1, true)]
    [InlineData(2, 1, false)]
    [InlineData(4, 2, false)]
    [InlineData(3, 5, false)]
    public void Cutting_the_replicas_by_more_than_half_asks_for_a_second_look(int now, int next, bool caution)
    {
        var plan = ApplyPlanner.Plan([Web with { Replicas = ReplicaRange.Fixed(now) }], [Web with { Replicas = ReplicaRange.Fixed(next) }], Running(("web", Web.Version, now)));

        Assert.Equal(caution ? [$"web: lowers the replicas from {now} to {next}"] : [], plan.Cautions);
    }

    [Fact]
    public void A_canary_shows_its_first_weight_step_not_all_traffic_on_the_new_version()
    {
        var canary = Web with
        {
            Image = "app:v2",
            Rollout = new RolloutSpec { Strategy = new CanarySpec([new PauseStep(TimeSpan.FromSeconds(5)), new SetWeightStep(25), new SetWeightStep(500)]) },
        };

        var service = Assert.Single(ApplyPlanner.Plan([Web], [canary], Running(("web", Web.Version, 3))).Services);

        Assert.Equal([new VersionWeight(Web.Version, 97.5), new VersionWeight(canary.Version, 2.5)], service.Weights);
        Assert.Contains("rollout: canary, the new version starts with 2.5% of the requests", service.Changes);
    }

    [Fact]
    public void The_plan_id_is_that_of_the_desired_state_it_was_computed_against()
    {
        var plan = ApplyPlanner.Plan([Web], [Web with { Replicas = ReplicaRange.Fixed(5) }], null);

        Assert.Equal(ApplyPlanner.PlanId([Web]), plan.PlanId);
        Assert.Matches("^[0-9a-f]{16}$", plan.PlanId);
        Assert.Equal(ApplyPlanner.PlanId([Web, Web with { Name = "api" }]), ApplyPlanner.PlanId([Web with { Name = "api" }, Web]));
        Assert.NotEqual(ApplyPlanner.PlanId([Web]), ApplyPlanner.PlanId([]));
    }

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Running(params (string Service, string Version, int Count)[] groups) =>
        groups.GroupBy(g => g.Service).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(x => x.Version, x => x.Count));
}

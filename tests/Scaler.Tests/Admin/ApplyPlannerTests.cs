using Bollard.Scaler.Admin;
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
        Assert.Contains("route: host *, pathPrefix /api -> host *, pathPrefix /api, timeout 5s, maxConcurrentRequests 200", service.Changes);
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

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Running(params (string Service, string Version, int Count)[] groups) =>
        groups.GroupBy(g => g.Service).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(x => x.Version, x => x.Count));
}

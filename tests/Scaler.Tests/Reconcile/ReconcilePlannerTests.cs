using Bollard.Scaler.Health;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Reconcile;

public sealed class ReconcilePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceSpec Web = new() { Name = "web", Image = "app:1", Port = 8080, Replicas = ReplicaRange.Fixed(3) };
    private static readonly ReplicaHealth Passing = new(true, 0);

    [Fact]
    public void An_empty_host_gets_the_desired_replicas_created()
    {
        var plan = Plan([Web]);

        Assert.Equal(3, plan.Actions.OfType<CreateReplica>().Count());
        Assert.All(plan.Actions, a => Assert.StartsWith("0 of 3 replicas of", a.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Healthy_replicas_at_the_desired_count_need_nothing()
    {
        var plan = Plan([Web], Replica("a", Passing, registered: true), Replica("b", Passing, registered: true), Replica("c", Passing, registered: true));

        Assert.True(plan.IsEmpty);
        var count = Assert.Single(plan.Counts);
        Assert.Equal((3, 3, 3), (count.Desired, count.Live, count.Healthy));
    }

    [Fact]
    public void A_replica_is_registered_only_after_its_check_passed()
    {
        var plan = Plan([Web with { Replicas = ReplicaRange.Fixed(2) }], Replica("a", ReplicaHealth.Unknown), Replica("b", Passing));

        var register = Assert.Single(plan.Actions.OfType<RegisterReplica>());
        Assert.Equal("b", register.Container.Id);
        Assert.Empty(plan.Actions.OfType<CreateReplica>()); // the starting one counts as live
    }

    [Fact]
    public void A_killed_replica_is_removed_and_replaced()
    {
        var plan = Plan([Web], Replica("a", Passing, registered: true), Replica("b", Passing, registered: true), Replica("c", Passing, registered: true, state: ContainerRunState.Stopped));

        var remove = Assert.Single(plan.Actions.OfType<RemoveReplica>());
        Assert.Equal("c", remove.Container.Id);
        Assert.Equal(TimeSpan.Zero, remove.Drain);
        Assert.Contains("not running", remove.Reason, StringComparison.Ordinal);
        Assert.Single(plan.Actions.OfType<CreateReplica>());
    }

    [Fact]
    public void A_replica_that_never_passes_within_the_start_period_is_replaced()
    {
        var stuck = Replica("a", ReplicaHealth.Unknown, created: Now - SpecDefaults.HealthStartPeriod - TimeSpan.FromSeconds(1));

        var plan = Plan([Web with { Replicas = ReplicaRange.Fixed(1) }], stuck);

        Assert.Contains("start period", Assert.Single(plan.Actions.OfType<RemoveReplica>()).Reason, StringComparison.Ordinal);
        Assert.Single(plan.Actions.OfType<CreateReplica>());
    }

    [Fact]
    public void A_replica_failing_its_checks_in_a_row_is_replaced()
    {
        var plan = Plan([Web with { Replicas = ReplicaRange.Fixed(1) }], Replica("a", new ReplicaHealth(true, SpecDefaults.UnhealthyThreshold), registered: true));

        Assert.Contains("consecutive failed", Assert.Single(plan.Actions.OfType<RemoveReplica>()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Surplus_replicas_go_starting_ones_first_then_newest_with_a_drain()
    {
        var plan = Plan(
            [Web with { Replicas = ReplicaRange.Fixed(1) }],
            Replica("old", Passing, created: Now.AddMinutes(-10)),
            Replica("new", Passing, created: Now.AddMinutes(-1)),
            Replica("starting", ReplicaHealth.Unknown, created: Now));

        var removed = plan.Actions.OfType<RemoveReplica>().Select(r => r.Container.Id).ToList();
        Assert.Equal(["starting", "new"], removed);
        Assert.All(plan.Actions.OfType<RemoveReplica>(), r => Assert.Equal(Web.DrainTimeout, r.Drain));
    }

    [Fact]
    public void An_older_version_is_kept_until_the_new_one_is_healthy()
    {
        var spec = Web with { Replicas = ReplicaRange.Fixed(1) };
        var old = Replica("old", Passing, registered: true, version: "0ld0ld0ld0ld");

        var whileStarting = Plan([spec], old, Replica("new", ReplicaHealth.Unknown));
        var onceHealthy = Plan([spec], old, Replica("new", Passing, registered: true));

        Assert.Empty(whileStarting.Actions.OfType<RemoveReplica>());
        Assert.Equal("old", Assert.Single(onceHealthy.Actions.OfType<RemoveReplica>()).Container.Id);
    }

    [Fact]
    public void Containers_of_undeclared_services_are_removed()
    {
        var plan = Plan([], Replica("x", Passing, service: "gone"));

        Assert.Contains("no longer declared", Assert.Single(plan.Actions.OfType<RemoveReplica>()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_backing_off_after_a_failed_create_gets_no_create_on_that_host()
    {
        var plan = ReconcilePlanner.Plan(new ReconcileInput([ServiceTarget.Steady(Web, 3)], OneHost, [], new HashSet<string>(), Now, new HashSet<(string, string)> { ("web", "h1") }));

        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void A_failed_create_on_one_host_does_not_hold_back_creates_on_the_others()
    {
        HostSlot[] twoHosts = [new("h1", "z1", true), new("h2", "z1", true)];
        var plan = ReconcilePlanner.Plan(new ReconcileInput(
            [ServiceTarget.Steady(Web, 4)], twoHosts, [], new HashSet<string>(), Now, new HashSet<(string, string)> { ("web", "h1") }));

        var creates = plan.Actions.OfType<CreateReplica>().ToList();
        Assert.Equal(2, creates.Count);
        Assert.All(creates, c => Assert.Equal("h2", c.Host));
    }

    [Fact]
    public void A_version_in_crash_back_off_gets_no_create_and_its_failed_replica_is_still_replaced_later()
    {
        var crashed = Replica("dead", ReplicaHealth.Unknown, state: ContainerRunState.Stopped) with
        {
            Container = Replica("dead", ReplicaHealth.Unknown, state: ContainerRunState.Stopped).Container with
            {
                Exit = new ContainerExit(3, false, TimeSpan.FromMilliseconds(400), null, "starting\nboom: missing file /etc/app.conf"),
            },
        };
        var input = new ReconcileInput([ServiceTarget.Steady(Web, 1)], OneHost, [crashed], new HashSet<string>(), Now, new HashSet<(string, string)>())
        {
            CrashBackoff = new HashSet<(string, string)> { ("web", Web.Version) },
        };

        var plan = ReconcilePlanner.Plan(input);

        var remove = Assert.Single(plan.Actions.OfType<RemoveReplica>());
        Assert.Empty(plan.Actions.OfType<CreateReplica>());
        Assert.Equal("error", remove.Failure!.Kind);
        Assert.True(remove.Failure.FailedStart);
        Assert.Equal("container stopped: exited with code 3 after 0.4 s; last log: boom: missing file /etc/app.conf", remove.Reason);
        Assert.NotEmpty(ReconcilePlanner.Plan(input with { CrashBackoff = new HashSet<(string, string)>() }).Actions.OfType<CreateReplica>());
    }

    [Theory]
    [InlineData(false, 10, true)]   // never passed: a failed start
    [InlineData(true, 10, true)]    // passed, but failed within the reset time: still a failed start
    [InlineData(true, 600, false)]  // ran past the reset time: an ordinary failure
    public void A_failure_is_a_failed_start_when_the_replica_never_passed_or_died_young(bool everPassed, int ageSeconds, bool failedStart)
    {
        var health = everPassed ? new ReplicaHealth(true, 5) : ReplicaHealth.Unknown;
        var plan = Plan([Web], Replica("r", health, state: ContainerRunState.Stopped, created: Now.AddSeconds(-ageSeconds)));

        Assert.Equal(failedStart, Assert.Single(plan.Actions.OfType<RemoveReplica>()).Failure!.FailedStart);
    }

    [Fact]
    public void Planning_is_deterministic_and_converges_from_any_observed_state()
    {
        // Property: from a random mix of replicas, applying the plan (as a perfect runtime would) reaches exactly the
        // desired count of live replicas, and a second plan on the result only registers what passes.
        var random = new Random(1234);
        for (var round = 0; round < 500; round++)
        {
            var spec = Web with { Replicas = ReplicaRange.Fixed(random.Next(0, 6)) };
            var replicas = Enumerable.Range(0, random.Next(0, 9)).Select(i => Replica(
                $"r{i}",
                random.Next(3) == 0 ? ReplicaHealth.Unknown : Passing,
                state: random.Next(5) == 0 ? ContainerRunState.Stopped : ContainerRunState.Running,
                created: Now.AddSeconds(-random.Next(0, 30)))).ToArray();

            var plan = Plan([spec], replicas);

            Assert.Equal(plan.Actions, Plan([spec], replicas).Actions);
            var removed = plan.Actions.OfType<RemoveReplica>().Select(r => r.Container.Id).ToHashSet();
            var remaining = replicas.Count(r => !removed.Contains(r.Container.Id));
            Assert.Equal(spec.Replicas.Min, remaining + plan.Actions.OfType<CreateReplica>().Count());
        }
    }

    private static readonly HostSlot[] OneHost = [new("h1", "z1", true)];

    private static ReconcilePlan Plan(IReadOnlyList<ServiceSpec> specs, params ReplicaView[] replicas) =>
        ReconcilePlanner.Plan(new ReconcileInput(
            [.. specs.Select(s => ServiceTarget.Steady(s, s.Replicas.Min))], OneHost, replicas, new HashSet<string>(), Now, new HashSet<(string, string)>()));

    private static ReplicaView Replica(
        string id,
        ReplicaHealth health,
        bool registered = false,
        ContainerRunState state = ContainerRunState.Running,
        DateTimeOffset? created = null,
        string? version = null,
        string service = "web") =>
        new(
            "h1",
            new ObservedContainer(id, id, service, version ?? Web.Version, "z1", state, "127.0.0.1", 30000, created ?? Now.AddSeconds(-5)),
            health,
            registered);
}

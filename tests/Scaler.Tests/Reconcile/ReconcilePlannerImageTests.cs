using Bollard.Scaler.Health;
using Bollard.Scaler.Placement;
using Bollard.Scaler.Reconcile;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Reconcile;

/// <summary>The planner with hosts that lack a version's image: pull first where it can be pulled, leave the host out
/// where it cannot, and never plan a create of an image a host does not hold.</summary>
public sealed class ReconcilePlannerImageTests
{
    private const string LocalId = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Digest = "127.0.0.1:5055/app@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly HostSlot[] ThreeZones = [new("a1", "a", true), new("b1", "b", true), new("c1", "c", true)];

    [Fact]
    public void A_locally_built_image_goes_only_to_the_hosts_holding_it_and_the_others_are_reported()
    {
        var web = Spec("web", LocalId);

        var plan = Plan([ServiceTarget.Steady(web, 4)], Holding(("a1", [LocalId]), ("b1", []), ("c1", [LocalId])));

        var creates = plan.Actions.OfType<CreateReplica>().GroupBy(c => c.Host).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["a1"] = 2, ["c1"] = 2 }, creates);
        Assert.DoesNotContain(plan.Actions, a => a.Host == "b1");
        var missing = Assert.Single(plan.MissingImages);
        Assert.Equal(("web", web.Version, "b1", LocalId, ImageState.Unobtainable), (missing.Service, missing.Version, missing.Host, missing.Image, missing.State));
        Assert.All(plan.Actions.OfType<CreateReplica>(), c => Assert.Contains($"not placed on b1 (lacks {LocalId}", c.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void No_host_holding_a_locally_built_image_places_nothing_and_creates_nothing()
    {
        var plan = Plan([ServiceTarget.Steady(Spec("web", LocalId), 2)], Holding(("a1", []), ("b1", []), ("c1", [])));

        Assert.Empty(plan.Actions);
        Assert.Equal(["a1", "b1", "c1"], plan.MissingImages.Select(m => m.Host));
        Assert.Equal(0, Assert.Single(plan.Counts).DesiredPerZone.Values.Sum());
    }

    [Fact]
    public void A_host_lacking_a_registry_image_pulls_it_once_and_gets_its_replicas_after()
    {
        // Two services of the same image: one pull on b1 for both, and no create there until it holds the image.
        var inventories = Holding(("a1", [Digest]), ("b1", []), ("c1", [Digest]));

        var plan = Plan([ServiceTarget.Steady(Spec("web", Digest), 3), ServiceTarget.Steady(Spec("api", Digest), 3)], inventories);

        var pull = Assert.Single(plan.Actions.OfType<PullImage>());
        Assert.Equal(("b1", Digest), (pull.Host, pull.Image));
        Assert.DoesNotContain(plan.Actions.OfType<CreateReplica>(), c => c.Host == "b1");
        Assert.Equal(4, plan.Actions.OfType<CreateReplica>().Count()); // a1 and c1 each take their one per service now
        Assert.Empty(plan.MissingImages); // a pull to come is no news

        var pulled = Plan([ServiceTarget.Steady(Spec("web", Digest), 3)], Holding(("a1", [Digest]), ("b1", [Digest]), ("c1", [Digest])));
        Assert.Equal(["a1", "b1", "c1"], pulled.Actions.OfType<CreateReplica>().Select(c => c.Host).Order());
    }

    [Fact]
    public void While_the_pull_runs_the_host_keeps_its_place_and_waits()
    {
        var images = Holding(("a1", [Digest]), ("b1", []), ("c1", [Digest]));
        images["b1"] = images["b1"] with { Pulling = new HashSet<string> { Digest } };

        var plan = Plan([ServiceTarget.Steady(Spec("web", Digest), 3)], images);

        Assert.Equal(["a1", "c1"], plan.Actions.OfType<CreateReplica>().Select(c => c.Host).Order());
        Assert.Empty(plan.Actions.OfType<PullImage>());
        Assert.Equal(ImageState.Pulling, Assert.Single(plan.MissingImages).State);
    }

    [Fact]
    public void After_a_failed_pull_the_host_is_left_out_and_its_share_goes_to_the_others()
    {
        var images = Holding(("a1", [Digest]), ("b1", []), ("c1", [Digest]));
        images["b1"] = images["b1"] with { Failed = new Dictionary<string, string> { [Digest] = "unauthorized" } };

        var plan = Plan([ServiceTarget.Steady(Spec("web", Digest), 4)], images);

        Assert.Equal(4, plan.Actions.OfType<CreateReplica>().Count(c => c.Host is "a1" or "c1"));
        Assert.DoesNotContain(plan.Actions, a => a.Host == "b1");
        Assert.Contains("unauthorized", Assert.Single(plan.MissingImages).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rollout_places_each_version_by_its_own_image()
    {
        // The stable version's image is everywhere; the new one only on a1 and c1, so the new version skips b1.
        var stable = Spec("web", LocalId);
        var next = Spec("web", "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
        var target = new ServiceTarget("web", [new VersionTarget(stable, 3), new VersionTarget(next, 2)], RemoveOtherVersions: false);

        var plan = Plan([target], Holding(("a1", [LocalId, next.PinnedImage!]), ("b1", [LocalId]), ("c1", [LocalId, next.PinnedImage!])));

        Assert.Equal(["a1", "b1", "c1"], plan.Actions.OfType<CreateReplica>().Where(c => c.Spec.Version == stable.Version).Select(c => c.Host).Order());
        Assert.Equal(["a1", "c1"], plan.Actions.OfType<CreateReplica>().Where(c => c.Spec.Version == next.Version).Select(c => c.Host).Order());
        Assert.Equal(("b1", next.Version), (Assert.Single(plan.MissingImages).Host, plan.MissingImages[0].Version));
    }

    [Fact]
    public void Hosts_whose_images_are_not_known_get_replicas_as_before()
    {
        var plan = Plan([ServiceTarget.Steady(Spec("web", LocalId), 3)], []);

        Assert.Equal(["a1", "b1", "c1"], plan.Actions.OfType<CreateReplica>().Select(c => c.Host).Order());
        Assert.Empty(plan.MissingImages);
    }

    private static ServiceSpec Spec(string name, string pin) =>
        new() { Name = name, Image = "app:v1", PinnedImage = pin, Port = 8080 };

    private static Dictionary<string, HostImages> Holding(params (string Host, string[] Images)[] hosts) =>
        hosts.ToDictionary(h => h.Host, h => new HostImages(new ImageInventory(h.Images), new HashSet<string>(), new Dictionary<string, string>()));

    private static ReconcilePlan Plan(IReadOnlyList<ServiceTarget> targets, Dictionary<string, HostImages> images) =>
        ReconcilePlanner.Plan(new ReconcileInput(targets, ThreeZones, Array.Empty<ReplicaView>(), new HashSet<string>(), Now, new HashSet<(string, string)>()) { Images = images });
}

using Bollard.Scaler.Placement;
using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Placement;

/// <summary>The image rule of placement: a host gets a version only when it holds the image or can pull it.</summary>
public sealed class ImageRuleTests
{
    private const string Id = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest = "registry.example.com:5000/team/app@sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Theory]
    [InlineData(Id, "holds", ImageState.Present)]
    [InlineData(Digest, "holds", ImageState.Present)]
    [InlineData("registry.example.com:5000/team/app:v1", "holds", ImageState.Present)]
    [InlineData(Digest, "lacks", ImageState.Pullable)]
    [InlineData("registry.example.com:5000/team/app:v1", "lacks", ImageState.Pullable)]
    [InlineData(Id, "lacks", ImageState.Unobtainable)]
    [InlineData(Digest, "pulling", ImageState.Pulling)]
    [InlineData(Digest, "failed", ImageState.Unobtainable)]
    [InlineData(Id, "unknown", ImageState.Present)]
    [InlineData(Digest, "unknown", ImageState.Present)]
    public void A_hosts_state_follows_what_it_holds_and_what_the_image_is(string image, string host, ImageState expected)
    {
        var images = host switch
        {
            "holds" => new HostImages(new ImageInventory([Id, Digest, "registry.example.com:5000/team/app:v1"]), new HashSet<string>(), new Dictionary<string, string>()),
            "lacks" => new HostImages(new ImageInventory(["sha256:other", "other:v1"]), new HashSet<string>(), new Dictionary<string, string>()),
            "pulling" => new HostImages(ImageInventory.Empty, new HashSet<string> { image }, new Dictionary<string, string>()),
            "failed" => new HostImages(ImageInventory.Empty, new HashSet<string>(), new Dictionary<string, string> { [image] = "unauthorized" }),
            _ => HostImages.Unknown,
        };

        Assert.Equal(expected, ImageRule.On(image, images).State);
    }

    [Fact]
    public void An_image_id_a_host_lacks_says_how_to_get_it_there()
    {
        var why = ImageRule.On(Id, new HostImages(ImageInventory.Empty, new HashSet<string>(), new Dictionary<string, string>())).Why;
        Assert.Contains("image id", why, StringComparison.Ordinal);
        Assert.Contains("push it to a registry", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Docker_hubs_long_names_and_a_bare_name_match_what_the_engine_lists()
    {
        var engine = new ImageInventory(["nginx:latest", "nginx:1.25", "busybox@sha256:abc"]);

        Assert.True(engine.Holds("docker.io/library/nginx:1.25"));
        Assert.True(engine.Holds("nginx"));
        Assert.True(engine.Holds("docker.io/library/busybox@sha256:abc"));
        Assert.False(engine.Holds("nginx:1.26"));
        Assert.False(engine.Holds("registry.example.com/nginx:1.25"));
    }

    [Fact]
    public void Hosts_that_cannot_get_the_image_are_unavailable_to_its_placement_and_the_others_are_untouched()
    {
        HostSlot[] hosts = [new("a1", "a", true), new("b1", "b", true), new("c1", "c", false)];
        var images = new Dictionary<string, HostImages>
        {
            ["a1"] = new(new ImageInventory([Id]), new HashSet<string>(), new Dictionary<string, string>()),
            ["b1"] = new(ImageInventory.Empty, new HashSet<string>(), new Dictionary<string, string>()),
        };

        var slots = ImageRule.SlotsFor(Id, hosts, images);

        Assert.Equal([true, false, false], slots.Select(s => s.Available));
        Assert.Same(hosts, ImageRule.SlotsFor(Digest, hosts, images)); // b1 can pull it: no host is left out, no copy
        Assert.Same(hosts, ImageRule.SlotsFor(Id, hosts, new Dictionary<string, HostImages>()));
    }
}

using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Deployments;

public sealed class ImagePinnerTests
{
    private static readonly ServiceSpec Spec = new() { Name = "web", Image = "app:v1", Port = 8080 };

    private readonly ScriptedImages _engine = new();

    [Fact]
    public async Task A_tag_is_pinned_to_what_the_engine_says_it_names_now()
    {
        _engine.Images["app:v1"] = new ImageIdentity("sha256:one", []);
        var pinned = await new ImagePinner(_engine).PinAsync(Spec, [], fresh: false, askRegistry: false, default);
        Assert.Equal("sha256:one", pinned.PinnedImage);
    }

    [Fact]
    public async Task A_known_pin_of_the_same_reference_is_kept_without_asking_the_engine()
    {
        _engine.Images["app:v1"] = new ImageIdentity("sha256:moved", []);
        var pinned = await new ImagePinner(_engine).PinAsync(Spec, [null, new ImagePin("app:v0", "sha256:zero"), new ImagePin("app:v1", "sha256:one")], fresh: false, askRegistry: false, default);
        Assert.Equal("sha256:one", pinned.PinnedImage);
        Assert.Empty(_engine.Asked);
    }

    [Fact]
    public async Task A_fresh_pin_asks_the_engine_even_when_one_is_known()
    {
        _engine.Images["app:v1"] = new ImageIdentity("sha256:moved", []);
        var pinned = await new ImagePinner(_engine).PinAsync(Spec, [new ImagePin("app:v1", "sha256:one")], fresh: true, askRegistry: false, default);
        Assert.Equal("sha256:moved", pinned.PinnedImage);
    }

    [Fact]
    public async Task A_spec_already_pinned_or_naming_content_is_left_as_it_is()
    {
        var pinner = new ImagePinner(_engine);
        Assert.Equal("sha256:given", (await pinner.PinAsync(Spec with { PinnedImage = "sha256:given" }, [], fresh: true, askRegistry: false, default)).PinnedImage);
        Assert.Equal("app@sha256:abc", (await pinner.PinAsync(Spec with { Image = "app@sha256:abc" }, [], fresh: true, askRegistry: false, default)).PinnedImage);
        Assert.Empty(_engine.Asked);
    }

    [Fact]
    public async Task An_image_the_engine_does_not_have_stays_unpinned() =>
        Assert.Null((await new ImagePinner(_engine).PinAsync(Spec, [], fresh: false, askRegistry: false, default)).PinnedImage);

    [Fact]
    public async Task A_tag_the_engine_lacks_is_pinned_by_the_digest_its_registry_gives()
    {
        _engine.Registry["app:v1"] = "app@sha256:fromregistry";

        Assert.Equal("app@sha256:fromregistry", (await new ImagePinner(_engine).PinAsync(Spec, [], fresh: false, askRegistry: true, default)).PinnedImage);
        Assert.Null((await new ImagePinner(_engine).PinAsync(Spec, [], fresh: false, askRegistry: false, default)).PinnedImage); // in a pass: never
    }

    [Fact]
    public async Task A_tag_unknown_to_the_engine_and_its_registry_stays_unpinned() =>
        Assert.Null((await new ImagePinner(_engine).PinAsync(Spec, [], fresh: false, askRegistry: true, default)).PinnedImage);

    [Fact]
    public async Task A_rollout_asks_the_registry_again_for_an_image_that_came_from_it()
    {
        _engine.Images["registry:5000/app:v1"] = new ImageIdentity("sha256:old", ["registry:5000/app@sha256:old"]);
        _engine.Registry["registry:5000/app:v1"] = "registry:5000/app@sha256:moved";
        var spec = Spec with { Image = "registry:5000/app:v1" };

        Assert.Equal("registry:5000/app@sha256:old", (await new ImagePinner(_engine).PinAsync(spec, [], fresh: false, askRegistry: true, default)).PinnedImage);
        Assert.Equal("registry:5000/app@sha256:moved", (await new ImagePinner(_engine).PinAsync(spec, [], fresh: true, askRegistry: true, default)).PinnedImage);
    }

    [Fact]
    public async Task A_rollout_of_a_locally_built_image_does_not_ask_any_registry()
    {
        _engine.Images["app:v1"] = new ImageIdentity("sha256:local", []);

        Assert.Equal("sha256:local", (await new ImagePinner(_engine).PinAsync(Spec, [], fresh: true, askRegistry: true, default)).PinnedImage);
        Assert.DoesNotContain(_engine.Asked, a => a.StartsWith("registry ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_version_follows_the_pin_not_the_tag()
    {
        var one = Spec with { PinnedImage = "sha256:one" };
        Assert.Equal(one.Version, (one with { Image = "app:renamed" }).Version);
        Assert.NotEqual(one.Version, (one with { PinnedImage = "sha256:two" }).Version);
        Assert.NotEqual(one.Version, Spec.Version);
    }

    private sealed class ScriptedImages : IImageResolver
    {
        public Dictionary<string, ImageIdentity> Images { get; } = [];

        public List<string> Asked { get; } = [];

        /// <summary>What the registry says each tag names (a pin); a tag missing here is unknown to the registry.</summary>
        public Dictionary<string, string> Registry { get; } = [];

        public Task<ImageIdentity?> ResolveImageAsync(string reference, CancellationToken cancellationToken)
        {
            Asked.Add(reference);
            return Task.FromResult(Images.GetValueOrDefault(reference));
        }

        public Task<string> ResolveInRegistryAsync(string reference, CancellationToken cancellationToken)
        {
            Asked.Add($"registry {reference}");
            return Registry.TryGetValue(reference, out var pin)
                ? Task.FromResult(pin)
                : Task.FromException<string>(new ContainerOperationException($"manifest unknown: {reference}"));
        }
    }
}

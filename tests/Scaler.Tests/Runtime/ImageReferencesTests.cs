using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Runtime;

public sealed class ImageReferencesTests
{
    [Theory]
    [InlineData("sha256:abc", true, false)]
    [InlineData("app@sha256:abc", false, true)]
    [InlineData("127.0.0.1:5055/app@sha256:abc", false, true)]
    [InlineData("app:v1", false, false)]
    [InlineData("registry:5000/app:v1", false, false)]
    public void An_id_a_digest_and_a_tag_are_told_apart(string reference, bool id, bool digest) =>
        Assert.Equal((id, digest), (ImageReferences.IsImageId(reference), ImageReferences.IsDigest(reference)));

    [Theory]
    [InlineData("nginx", "nginx:latest")]
    [InlineData("docker.io/library/nginx:1.25", "nginx:1.25")]
    [InlineData("docker.io/team/app:v1", "team/app:v1")]
    [InlineData("index.docker.io/library/nginx@sha256:abc", "nginx@sha256:abc")]
    [InlineData("127.0.0.1:5055/app", "127.0.0.1:5055/app:latest")]
    [InlineData("127.0.0.1:5055/app@sha256:abc", "127.0.0.1:5055/app@sha256:abc")]
    [InlineData("sha256:abc", "sha256:abc")]
    public void References_take_the_form_the_engine_lists_them_in(string reference, string familiar) =>
        Assert.Equal(familiar, ImageReferences.Familiar(reference));

    [Theory]
    [InlineData("nginx:1.25", "docker.io")]
    [InlineData("team/app:v1", "docker.io")]
    [InlineData("registry.example.com/team/app:v1", "registry.example.com")]
    [InlineData("127.0.0.1:5055/app@sha256:abc", "127.0.0.1:5055")]
    [InlineData("localhost/app:v1", "localhost")]
    public void The_registry_is_the_first_component_when_it_names_a_host(string reference, string registry) =>
        Assert.Equal(registry, ImageReferences.RegistryOf(reference));

    [Theory]
    [InlineData("127.0.0.1:5055/app@sha256:abc", "127.0.0.1:5055/app", "sha256:abc")]
    [InlineData("127.0.0.1:5055/app:v2", "127.0.0.1:5055/app", "v2")]
    [InlineData("127.0.0.1:5055/app", "127.0.0.1:5055/app", "latest")]
    public void A_pull_takes_the_repository_and_the_tag_or_digest(string reference, string repository, string tag) =>
        Assert.Equal((repository, tag), ImageReferences.ForPull(reference));

    [Fact]
    public void An_image_id_cannot_be_pulled() =>
        Assert.Throws<ArgumentException>(() => ImageReferences.ForPull("sha256:abc"));
}

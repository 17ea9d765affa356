using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Tests.Runtime;

public sealed class ImagePinsTests
{
    private const string Id = "sha256:9d077fd74b93cc95a973c5903a596a46a6f14fbd6b3107e10b1a3fbaf4cf617a";

    [Theory]
    [InlineData("bollard-sample:v1", "bollard-sample")]
    [InlineData("bollard-sample", "bollard-sample")]
    [InlineData("registry:5000/team/app:v1", "registry:5000/team/app")]
    [InlineData("registry:5000/team/app", "registry:5000/team/app")]
    [InlineData("app@sha256:abc", "app")]
    [InlineData("registry:5000/app:v1@sha256:abc", "registry:5000/app")]
    public void The_repository_is_the_reference_without_tag_or_digest(string reference, string repository) =>
        Assert.Equal(repository, ImagePins.RepositoryOf(reference));

    [Fact]
    public void An_image_built_here_is_pinned_by_its_id() =>
        Assert.Equal(Id, ImagePins.PinFor("bollard-sample:v1", new ImageIdentity(Id, [])));

    [Fact]
    public void An_image_from_a_registry_is_pinned_by_the_digest_of_its_own_repository() =>
        Assert.Equal(
            "registry:5000/app@sha256:bbb",
            ImagePins.PinFor("registry:5000/app:v1", new ImageIdentity(Id, ["mirror/app@sha256:aaa", "registry:5000/app@sha256:bbb"])));

    [Fact]
    public void Without_a_digest_of_its_repository_another_digest_of_the_same_image_pins_it() =>
        Assert.Equal("mirror/app@sha256:aaa", ImagePins.PinFor("app:v1", new ImageIdentity(Id, ["mirror/app@sha256:aaa"])));

    [Theory]
    [InlineData("app@sha256:abc")]
    [InlineData(Id)]
    public void A_reference_that_names_content_is_its_own_pin(string reference)
    {
        Assert.True(ImagePins.IsPinned(reference));
        Assert.Equal(reference, ImagePins.PinFor(reference, new ImageIdentity(Id, ["other@sha256:x"])));
    }

    [Theory]
    [InlineData("app:v1")]
    [InlineData("registry:5000/app")]
    public void A_tag_is_not_a_pin(string reference) => Assert.False(ImagePins.IsPinned(reference));
}

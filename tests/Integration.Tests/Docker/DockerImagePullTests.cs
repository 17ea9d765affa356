using System.Collections.Immutable;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Docker;

/// <summary>
/// The Docker adapter pulling from the real registry on loopback onto an engine that never had the image: by digest,
/// with its progress, the registry's digest of a tag without a download, and clear errors when it cannot.
/// </summary>
[Collection(EmptyEngines.Name)]
public sealed class DockerImagePullTests(EmptyEngine empty) : IAsyncLifetime
{
    private readonly string _registry = TestEnvironment.Registry();

    public Task InitializeAsync() => empty.EmptyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registry_image_the_engine_never_had_is_pulled_by_its_digest_and_runs()
    {
        var digest = await RegistryDigestAsync($"{_registry}/{TestEnvironment.SampleImage}:v1");
        using var runtime = Runtime(empty.Endpoint);
        Assert.False((await runtime.ListImagesAsync(CancellationToken.None))!.Holds(digest));

        var told = new List<ImagePullProgress>();
        var pulled = await runtime.PullImageAsync(digest, new Inline(told.Add), CancellationToken.None);

        Assert.Equal(digest, pulled.Reference);
        Assert.True(pulled.Layers >= 1);
        Assert.True((await runtime.ListImagesAsync(CancellationToken.None))!.Holds(digest));
        Assert.NotEmpty(told); // a progress interval of 1 ms: told at least once

        // And a replica of it starts there and answers as v1.
        var cluster = TestEnvironment.UniqueName("pull");
        var request = new ContainerCreateRequest(TestEnvironment.UniqueName("web"), digest, 8080, "127.0.0.1")
        {
            Labels = ImmutableDictionary<string, string>.Empty
                .Add(ContainerLabels.ManagedBy, ContainerLabels.ManagedByValue).Add(ContainerLabels.Cluster, cluster)
                .Add(ContainerLabels.Service, "web").Add(ContainerLabels.Version, "v1").Add(ContainerLabels.Zone, "zone-e"),
        };
        var started = await runtime.CreateAndStartAsync(request, CancellationToken.None);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var reply = await Eventually.ValueAsync(
                () => SampleReply.GetAsync(http, started.HostAddress, started.HostPort!.Value, "/"), r => r is not null, "the pulled image's replica to answer");
            Assert.Equal("v1", reply!.Version);
        }
        finally
        {
            await runtime.RemoveAsync(started.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_registry_says_which_digest_a_tag_names_without_a_download()
    {
        var reference = $"{_registry}/{TestEnvironment.SampleImage}:v2";
        using var runtime = Runtime(empty.Endpoint);

        Assert.Equal(await RegistryDigestAsync(reference), await runtime.ResolveInRegistryAsync(reference, CancellationToken.None));
        Assert.False((await runtime.ListImagesAsync(CancellationToken.None))!.Holds(reference));
    }

    [Fact]
    public async Task What_cannot_be_pulled_fails_with_a_clear_error()
    {
        using var runtime = Runtime(empty.Endpoint);
        var missing = $"{_registry}/{TestEnvironment.SampleImage}@sha256:{new string('0', 64)}";

        var unknown = await Assert.ThrowsAsync<ContainerOperationException>(() => runtime.PullImageAsync(missing, null, CancellationToken.None));
        Assert.Contains(missing, unknown.Message, StringComparison.Ordinal);
        Assert.Contains("anonymously: no docker.registryAuthFile is configured", unknown.Message, StringComparison.Ordinal);

        var id = await Assert.ThrowsAsync<ContainerOperationException>(() => runtime.PullImageAsync($"sha256:{new string('1', 64)}", null, CancellationToken.None));
        Assert.Contains("no registry serves it", id.Message, StringComparison.Ordinal);

        var lookup = await Assert.ThrowsAsync<ContainerOperationException>(() => runtime.ResolveInRegistryAsync($"{_registry}/{TestEnvironment.UniqueName("none")}:v1", CancellationToken.None));
        Assert.Contains("could not look", lookup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_wants_credentials_is_pulled_from_with_the_auth_file_and_refused_without()
    {
        await using var registry = await AuthRegistry.StartAsync();
        var pin = await registry.PushAsync($"{_registry}/{TestEnvironment.SampleImage}:v2", TestEnvironment.UniqueName("auth"));
        var dir = Directory.CreateTempSubdirectory("bollard-auth-").FullName;
        try
        {
            var good = Path.Combine(dir, "config.json");
            File.WriteAllText(good, registry.ConfigJson(AuthRegistry.Password));
            var wrong = Path.Combine(dir, "wrong.json");
            File.WriteAllText(wrong, registry.ConfigJson("not-the-password"));

            using (var anonymous = Runtime(empty.Endpoint))
            {
                var refused = await Assert.ThrowsAsync<ContainerOperationException>(() => anonymous.PullImageAsync(pin, null, CancellationToken.None));
                Assert.Contains("anonymously", refused.Message, StringComparison.Ordinal);
            }

            using (var mistaken = Runtime(empty.Endpoint, wrong))
            {
                var refused = await Assert.ThrowsAsync<ContainerOperationException>(() => mistaken.PullImageAsync(pin, null, CancellationToken.None));
                Assert.Contains($"with the credentials for {registry.Address} from {wrong}", refused.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("not-the-password", refused.Message, StringComparison.Ordinal);
            }

            using var authorized = Runtime(empty.Endpoint, good);
            var tag = pin[..pin.IndexOf('@', StringComparison.Ordinal)] + ":" + registry.Tag;
            Assert.Equal(pin, await authorized.ResolveInRegistryAsync(tag, CancellationToken.None));
            var pulled = await authorized.PullImageAsync(pin, null, CancellationToken.None);
            Assert.Equal(pin, pulled.Reference);
            Assert.True((await authorized.ListImagesAsync(CancellationToken.None))!.Holds(pin));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The digest scripts/registry-images.sh pushed, as the engine that pushed it records it.</summary>
    internal static async Task<string> RegistryDigestAsync(string reference)
    {
        using var docker = new global::Docker.DotNet.DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
        var image = await docker.Images.InspectImageAsync(reference);
        return image.RepoDigests.Single(d => d.StartsWith(ImagePins.RepositoryOf(reference) + "@", StringComparison.Ordinal));
    }

    private static DockerContainerRuntime Runtime(string endpoint, string? authFile = null) =>
        new(
            Options.Create(new DockerOptions { Endpoint = endpoint, RegistryAuthFile = authFile, PullProgressInterval = TimeSpan.FromMilliseconds(1) }),
            TimeProvider.System,
            NullLogger<DockerContainerRuntime>.Instance);

    private sealed class Inline(Action<ImagePullProgress> report) : IProgress<ImagePullProgress>
    {
        public void Report(ImagePullProgress value) => report(value);
    }
}

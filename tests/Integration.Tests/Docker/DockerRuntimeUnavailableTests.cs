using System.Collections.Immutable;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Docker;

/// <summary>An engine that cannot be reached, and a configuration that cannot work, fail with messages that say so.</summary>
public sealed class DockerRuntimeUnavailableTests
{
    private const string MissingSocket = "unix:///tmp/does-not-exist.sock";

    [Fact]
    public async Task Listing_on_a_missing_socket_names_the_endpoint()
    {
        using var runtime = DockerTestEngine.CreateRuntime(MissingSocket);

        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(
            () => runtime.ListManagedAsync("any", CancellationToken.None));

        Assert.Contains(MissingSocket, error.Message, StringComparison.Ordinal);
        Assert.Contains("dockerd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_and_stopping_on_a_missing_socket_name_the_endpoint()
    {
        using var runtime = DockerTestEngine.CreateRuntime(MissingSocket);
        var request = new ContainerCreateRequest("x", "bollard-sample:v1", 8080, "127.0.0.1")
        {
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.ManagedBy] = ContainerLabels.ManagedByValue,
                [ContainerLabels.Cluster] = "any",
            }.ToImmutableDictionary(),
        };

        var create = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => runtime.CreateAndStartAsync(request, CancellationToken.None));
        var stop = await Assert.ThrowsAsync<RuntimeUnavailableException>(() => runtime.StopAsync("x", TimeSpan.Zero, CancellationToken.None));

        Assert.Contains(MissingSocket, create.Message, StringComparison.Ordinal);
        Assert.Contains(MissingSocket, stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watching_on_a_missing_socket_fails_with_the_endpoint()
    {
        using var runtime = DockerTestEngine.CreateRuntime(MissingSocket);

        var error = await Assert.ThrowsAsync<RuntimeUnavailableException>(async () =>
        {
            await foreach (var unused in runtime.WatchEventsAsync("any", CancellationToken.None))
            {
            }
        });

        Assert.Contains(MissingSocket, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://docker.example")]
    [InlineData("/var/run/docker.sock")]
    public void An_endpoint_of_another_scheme_is_rejected_at_start(string endpoint)
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddDockerRuntime(o => o.Endpoint = endpoint)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DockerOptions>>().Value);

        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_registration_is_the_docker_runtime_on_the_default_socket()
    {
        using var services = new ServiceCollection().AddLogging().AddDockerRuntime().BuildServiceProvider();

        var runtime = services.GetRequiredService<IContainerRuntime>();

        Assert.IsType<DockerContainerRuntime>(runtime);
        Assert.Equal(DockerOptions.DefaultEndpoint, runtime.Endpoint);
    }
}

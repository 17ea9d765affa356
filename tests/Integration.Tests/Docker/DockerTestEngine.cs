using System.Collections.Immutable;
using Bollard.Scaler.Docker;
using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bollard.IntegrationTests.Docker;

/// <summary>
/// The real engine of the test run, seen both through the adapter under test and through Docker.DotNet directly
/// (to kill containers behind the adapter's back and to clean up whatever a test left, by its cluster label).
/// </summary>
internal sealed class DockerTestEngine : IAsyncDisposable
{
    private DockerTestEngine(string cluster)
    {
        Cluster = cluster;
        Runtime = CreateRuntime(TestEnvironment.DockerEndpoint.ToString());
        Client = new DockerClientConfiguration(TestEnvironment.DockerEndpoint).CreateClient();
    }

    public string Cluster { get; }

    public DockerContainerRuntime Runtime { get; }

    public DockerClient Client { get; }

    /// <summary>Opens the engine for one test with a fresh cluster name, after checking the sample image is there.</summary>
    public static async Task<DockerTestEngine> StartAsync()
    {
        var engine = new DockerTestEngine(TestEnvironment.UniqueName("docker"));
        foreach (var tag in new[] { "v1", "v2" })
        {
            var image = $"{TestEnvironment.SampleImage}:{tag}";
            try
            {
                await engine.Client.Images.InspectImageAsync(image);
            }
            catch (DockerImageNotFoundException)
            {
                await engine.DisposeAsync();
                throw new InvalidOperationException(
                    $"The sample image {image} is not on the engine at {TestEnvironment.DockerEndpoint}; run scripts/build-images.sh first.");
            }
        }

        return engine;
    }

    public static DockerContainerRuntime CreateRuntime(string endpoint, TimeSpan? requestTimeout = null) =>
        new(
            Options.Create(new DockerOptions { Endpoint = endpoint, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) }),
            TimeProvider.System,
            NullLogger<DockerContainerRuntime>.Instance);

    /// <summary>A request for one sample replica of this test's cluster.</summary>
    public ContainerCreateRequest SampleRequest(string service = "web", string version = "v1", string zone = "zone-a") =>
        new(TestEnvironment.UniqueName(service), $"{TestEnvironment.SampleImage}:{version}", 8080, "127.0.0.1")
        {
            Labels = ImmutableDictionary<string, string>.Empty
                .Add(ContainerLabels.ManagedBy, ContainerLabels.ManagedByValue)
                .Add(ContainerLabels.Cluster, Cluster)
                .Add(ContainerLabels.Service, service)
                .Add(ContainerLabels.Version, version)
                .Add(ContainerLabels.Zone, zone),
            Environment = ImmutableDictionary<string, string>.Empty.Add("ZONE", zone),
            CpuLimit = 0.5,
            MemoryLimitBytes = 256L * 1024 * 1024,
        };

    /// <summary>Removes every container of this test's cluster, made by the adapter or not.</summary>
    public async ValueTask DisposeAsync()
    {
        var leftovers = await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={Cluster}"] = true },
            },
        });
        foreach (var container in leftovers)
        {
            await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        Runtime.Dispose();
        Client.Dispose();
    }
}

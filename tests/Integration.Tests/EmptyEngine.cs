using Docker.DotNet;
using Docker.DotNet.Models;

namespace Bollard.IntegrationTests;

/// <summary>
/// An engine of the tests' own that starts with no image at all (scripts/engines.sh start-empty), standing for a new
/// host that must pull what it runs from the registry; stopped (and its pulled images dropped) after the collection.
/// One for the collection: its tests run one after the other, and each begins with <see cref="EmptyAsync"/>.
/// </summary>
public sealed class EmptyEngine : IAsyncLifetime
{
    public string Name { get; } = TestEnvironment.EmptyEngine;

    public string Endpoint => TestEnvironment.EngineEndpoint(Name);

    public DockerClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // One left running by a run that could not stop it holds its old pulls: start afresh.
        await TestEnvironment.EnginesScriptAsync("stop", Name);
        await TestEnvironment.EnginesScriptAsync("start-empty", Name);
        Client = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();
    }

    /// <summary>Removes every container and image of the engine (it is the tests' own): what one test pulled, the next
    /// one does not find there.</summary>
    public async Task EmptyAsync()
    {
        foreach (var container in await Client.Containers.ListContainersAsync(new ContainersListParameters { All = true }))
        {
            await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        foreach (var image in await Client.Images.ListImagesAsync(new ImagesListParameters { All = true }))
        {
            try
            {
                await Client.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Went with a parent deleted just before.
            }
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await TestEnvironment.EnginesScriptAsync("stop", Name);
    }
}

[CollectionDefinition(Name)]
public sealed class EmptyEngines : ICollectionFixture<EmptyEngine>
{
    public const string Name = "empty engine";
}

using Docker.DotNet;

namespace Bollard.IntegrationTests;

/// <summary>
/// An engine of the tests' own that starts with no image at all (scripts/engines.sh start-empty), standing for a new
/// host that must pull what it runs from the registry; stopped (and its pulled images dropped) after the collection.
/// One for the collection: its tests run one after the other, each with images or tags of its own.
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

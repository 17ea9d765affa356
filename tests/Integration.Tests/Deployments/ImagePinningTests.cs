using Bollard.IntegrationTests.Agent;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Bollard.IntegrationTests.Deployments;

/// <summary>
/// Versions pin their image: a tag moved after the apply changes neither the version nor what new replicas of it run.
/// The test moves a tag of its own (never the shared :v1 and :v2) and removes it afterwards.
/// </summary>
public sealed class ImagePinningTests
{
    [Fact]
    public async Task Moving_the_tag_after_the_apply_changes_neither_the_version_nor_the_replicas_added_later()
    {
        await using var agent = new AgentFixture(TestEnvironment.UniqueName("pin"), 1);
        var tag = $"pin-{TestEnvironment.UniqueName("tag")}";
        var image = $"{TestEnvironment.SampleImage}:{tag}";
        var v1 = await agent.Docker.Images.InspectImageAsync($"{TestEnvironment.SampleImage}:v1");
        var v2 = await agent.Docker.Images.InspectImageAsync($"{TestEnvironment.SampleImage}:v2");
        await Tag($"{TestEnvironment.SampleImage}:v1", tag);
        try
        {
            await agent.StartAsync();
            var control = agent.Services.GetRequiredService<IControlPlane>();

            // The same content under another tag is the same version: no rollout, the running replica stays.
            var before = (await control.GetServiceAsync(agent.Service, CancellationToken.None))!;
            var applied = await control.ApplyAsync([Spec(agent, image, replicas: 1)], new ApplyOptions(), "test", CancellationToken.None);
            Assert.Equal(before.Version, applied.Plan.Services.Single().ToVersion);
            Assert.Equal(v1.ID, applied.Plan.Services.Single().PinnedImage);
            await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count == 1, "one replica of v1");

            // The tag now names v2's image; a scale-out of the applied spec still adds replicas of v1's image.
            await Tag($"{TestEnvironment.SampleImage}:v2", tag);
            var scaled = await control.ApplyAsync([Spec(agent, image, replicas: 3)], new ApplyOptions(), "test", CancellationToken.None);
            Assert.Equal(before.Version, scaled.Plan.Services.Single().ToVersion);
            await Eventually.TrueAsync(async () => (await agent.RunningContainersAsync()).Count == 3, "three replicas");
            var running = await agent.RunningContainersAsync();
            Assert.All(running, c => Assert.Equal((before.Version, v1.ID), (c.Labels[ContainerLabels.Version], c.ImageID)));
            Assert.Equal(v1.ID, (await control.GetServiceAsync(agent.Service, CancellationToken.None))!.PinnedImage);
            await Eventually.TrueAsync(async () => (await SampleAnswers.VersionsAsync(agent, 20)).SetEquals(["v1"]), "only v1 answers");

            // Taking up the moved tag is a rollout started for it: the image is resolved again, a new version.
            var rollout = await control.StartRolloutAsync(agent.Service, new RolloutRequest(image, null), "test", CancellationToken.None);
            Assert.NotEqual(before.Version, rollout.ToVersion);
            Assert.Equal(v2.ID, (await control.GetServiceAsync(agent.Service, CancellationToken.None))!.PinnedImage);
        }
        finally
        {
            await agent.Docker.Images.DeleteImageAsync(image, new ImageDeleteParameters());
        }

        async Task Tag(string source, string target) =>
            await agent.Docker.Images.TagImageAsync(source, new ImageTagParameters { RepositoryName = TestEnvironment.SampleImage, Tag = target, Force = true });
    }

    private static SpecFile Spec(AgentFixture agent, string image, int replicas) => new($"{agent.Service}.yaml", $"""
        name: {agent.Service}
        image: {image}
        port: 8080
        replicas: {replicas}
        health:
          interval: 500ms
        route:
          pathPrefix: /
        drainTimeout: 1s
        stopGracePeriod: 2s
        """);
}

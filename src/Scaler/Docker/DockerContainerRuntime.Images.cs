using Bollard.Scaler.Runtime;
using Docker.DotNet;

namespace Bollard.Scaler.Docker;

public sealed partial class DockerContainerRuntime : IImageResolver
{
    public async Task<ImageIdentity?> ResolveImageAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return await CallAsync(
            $"the inspection of image '{reference}'",
            options.RequestTimeout,
            async ct =>
            {
                try
                {
                    var image = await client.Images.InspectImageAsync(reference, ct);
                    return new ImageIdentity(image.ID, [.. image.RepoDigests ?? []]);
                }
                catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    return null; // DockerImageNotFoundException among others: no such image here
                }
            },
            cancellationToken);
    }
}

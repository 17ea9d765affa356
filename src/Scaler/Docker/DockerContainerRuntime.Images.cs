using Bollard.Scaler.Runtime;
using Docker.DotNet;
using Docker.DotNet.Models;

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

    public async Task<string> ResolveInRegistryAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var registry = ImageReferences.RegistryOf(reference);
        var auth = credentials.For(registry);
        var operation = $"the registry lookup of '{reference}'";
        var digest = await CallAsync(
            operation,
            options.RequestTimeout,
            async ct =>
            {
                try
                {
                    return await distribution.DigestAsync(reference, auth, ct);
                }
                catch (DistributionException e)
                {
                    throw new ContainerOperationException(
                        $"The Docker engine at {Endpoint} could not look '{reference}' up in its registry ({CredentialsUsed(registry, auth)}): {e.Status} {e.Message}");
                }
            },
            cancellationToken);
        return $"{ImagePins.RepositoryOf(reference)}@{digest}";
    }

    public async Task<ImageInventory?> ListImagesAsync(CancellationToken cancellationToken)
    {
        var images = await CallAsync(
            "the image list", options.RequestTimeout, ct => client.Images.ListImagesAsync(new ImagesListParameters { All = false }, ct), cancellationToken);
        return new ImageInventory([.. images.SelectMany(i => (IEnumerable<string>)[i.ID, .. i.RepoTags ?? [], .. i.RepoDigests ?? []])]);
    }

    /// <summary>
    /// Pulls through the engine's image create (<c>POST /images/create</c>) with the registry's credentials from
    /// <see cref="DockerOptions.RegistryAuthFile"/>, bounded by <see cref="DockerOptions.PullTimeout"/>. The engine
    /// answers 200 before it downloads anything and reports a failure inside the stream, so the stream's error is
    /// checked, and so is the image itself once the stream ended.
    /// </summary>
    public async Task<ImagePullResult> PullImageAsync(string reference, IProgress<ImagePullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (ImageReferences.IsImageId(reference))
        {
            throw new ContainerOperationException($"image {reference} is an image id (built or loaded on one engine): no registry serves it, so the engine at {Endpoint} cannot pull it");
        }

        var (repository, tagOrDigest) = ImageReferences.ForPull(reference);
        var registry = ImageReferences.RegistryOf(reference);
        var auth = credentials.For(registry);
        var started = timeProvider.GetTimestamp();
        var tracker = new DockerPullProgress(timeProvider, options.PullProgressInterval, p =>
        {
            Log.PullProgress(logger, reference, Endpoint, p.ToString());
            progress?.Report(p);
        });
        Log.PullStarted(logger, reference, Endpoint, auth is null ? "anonymously" : $"with the credentials for {registry} from {credentials.File}");

        using var deadline = new CancellationTokenSource(options.PullTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var operation = $"the pull of '{reference}'";
        try
        {
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tagOrDigest }, auth, tracker, linked.Token);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not ContainerOperationException)
        {
            throw new OperationCanceledException($"{operation} was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (deadline.IsCancellationRequested || e is OperationCanceledException)
        {
            throw PullTimedOut(reference, tracker.Snapshot());
        }
        catch (DockerApiException e)
        {
            throw PullFailed(reference, registry, auth, DockerErrors.MessageOf(e));
        }
        catch (Exception e) when (DockerErrors.IsUnreachable(e))
        {
            throw DockerErrors.Unreachable(Endpoint, operation, e);
        }

        // A cancelled stream may end quietly (the client closes it to stop reading): the pull did not finish then.
        cancellationToken.ThrowIfCancellationRequested();
        if (deadline.IsCancellationRequested)
        {
            throw PullTimedOut(reference, tracker.Snapshot());
        }

        if (tracker.Error is { } error)
        {
            throw PullFailed(reference, registry, auth, error);
        }

        if (await ResolveImageAsync(reference, cancellationToken) is null)
        {
            throw new ContainerOperationException($"The Docker engine at {Endpoint} ended the pull of '{reference}' without an error but does not hold the image");
        }

        var done = tracker.Snapshot();
        var result = new ImagePullResult(reference, timeProvider.GetElapsedTime(started), done.Layers, tracker.LayersDownloaded(), done.BytesDownloaded);
        Log.PullDone(logger, reference, Endpoint, result.ToString());
        return result;
    }

    private ContainerOperationException PullTimedOut(string reference, ImagePullProgress progress)
    {
        var message = $"The pull of '{reference}' on the Docker engine at {Endpoint} did not finish within {options.PullTimeout.TotalSeconds:0} s " +
            $"({progress}); check the registry's reachability and speed, or raise docker.pullTimeout";
        Log.PullFailed(logger, reference, Endpoint, message);
        return new ContainerOperationException(message);
    }

    private ContainerOperationException PullFailed(string reference, string registry, AuthConfig? auth, string error)
    {
        var message = $"The Docker engine at {Endpoint} could not pull '{reference}' ({CredentialsUsed(registry, auth)}): {error}";
        Log.PullFailed(logger, reference, Endpoint, message);
        return new ContainerOperationException(message);
    }

    /// <summary>Which credentials were used (never what they are): the usual cause of a refused pull.</summary>
    private string CredentialsUsed(string registry, AuthConfig? auth) =>
        auth is not null
            ? $"with the credentials for {registry} from {credentials.File}"
            : credentials.File is null
                ? "anonymously: no docker.registryAuthFile is configured"
                : $"anonymously: {credentials.File} has no credentials for {registry}";
}

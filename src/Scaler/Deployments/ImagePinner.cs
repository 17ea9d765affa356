using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// Pins the images of specs as they enter the desired state (apply, rollout start, agent start). A spec keeps the pin
/// it already has; then a pin known for the same reference (the spec in force, the stored pins, the deployment
/// record) is kept, so scaling, re-applying or restarting never re-reads a tag; only an image the agent has not
/// pinned yet, or a rollout started for it, is resolved on the engine. A tag the engine lacks is looked up in its
/// registry (through the engine, nothing downloaded) and pinned by its registry digest, which every host can pull; a
/// rollout started for a tag the engine got from a registry asks the registry again (a tag moved there is taken up).
/// </summary>
public sealed partial class ImagePinner(IImageResolver resolver, ILogger<ImagePinner>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ImagePinner>.Instance;

    /// <param name="spec">The spec to pin.</param>
    /// <param name="known">Pins known for this service, most authoritative first; used when their image is the spec's.</param>
    /// <param name="fresh">Resolve on the engine even when a pin is known (a rollout started with an image).</param>
    /// <param name="askRegistry">Ask the tag's registry for its digest when the engine lacks the image (or, with
    /// <paramref name="fresh"/>, when the engine's copy came from that registry: the tag may have moved there). Not in
    /// a reconcile pass: a pass never waits on a registry.</param>
    /// <param name="cancellationToken">Cancels the engine call.</param>
    /// <returns>The spec with its pin; unpinned when neither the engine nor its registry know the image (creating its
    /// containers then pulls the tag where it is missing, or fails and says why).</returns>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    public async Task<ServiceSpec> PinAsync(ServiceSpec spec, IEnumerable<ImagePin?> known, bool fresh, bool askRegistry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(known);
        if (spec.PinnedImage is not null)
        {
            return spec;
        }

        if (ImagePins.IsPinned(spec.Image))
        {
            return spec with { PinnedImage = spec.Image };
        }

        if (!fresh && known.FirstOrDefault(p => p is not null && p.Image == spec.Image) is { } pin)
        {
            return spec with { PinnedImage = pin.Pinned };
        }

        var image = await resolver.ResolveImageAsync(spec.Image, cancellationToken);
        if (askRegistry && (image is null || (fresh && FromRegistry(spec.Image, image))) && await InRegistryAsync(spec, image, cancellationToken) is { } digest)
        {
            return spec with { PinnedImage = digest };
        }

        return image is null ? spec : spec with { PinnedImage = ImagePins.PinFor(spec.Image, image) };
    }

    /// <summary>True when the engine's image came from (or went to) the reference's registry: it has a digest there.</summary>
    private static bool FromRegistry(string reference, ImageIdentity image)
    {
        var repository = ImagePins.RepositoryOf(reference);
        return image.RepoDigests.Any(d => ImagePins.RepositoryOf(d) == repository);
    }

    /// <summary>The registry's digest pin of the spec's tag; null (logged) when the registry cannot say.</summary>
    private async Task<string?> InRegistryAsync(ServiceSpec spec, ImageIdentity? had, CancellationToken cancellationToken)
    {
        try
        {
            return await resolver.ResolveInRegistryAsync(spec.Image, cancellationToken);
        }
        catch (ContainerOperationException e)
        {
            LogRegistryUnknown(spec.Name, spec.Image, had is null ? "it stays unpinned" : "it is pinned to what the engine holds", e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Warning, Message = "{Service}: the registry of image {Image} cannot tell its digest ({Outcome}): {Error}")]
    private partial void LogRegistryUnknown(string service, string image, string outcome, string error);
}

/// <summary>An image reference and what it was pinned to.</summary>
public sealed record ImagePin(string Image, string Pinned)
{
    /// <summary>The pin of a spec; null when it has none.</summary>
    public static ImagePin? Of(ServiceSpec? spec) => spec?.PinnedImage is { } pinned ? new ImagePin(spec.Image, pinned) : null;
}

internal static class ImagePinningServiceCollectionExtensions
{
    /// <summary>The pinner, resolving through the runtime when it is one that can say what a tag names (Docker); the
    /// scaler and the admin API both need it, whichever is added first registers it.</summary>
    public static IServiceCollection TryAddImagePinning(this IServiceCollection services)
    {
        services.TryAddSingleton<IImageResolver>(sp => sp.GetService<IContainerRuntime>() as IImageResolver ?? new NoImageResolver());
        services.TryAddSingleton<ImagePinner>();
        return services;
    }
}

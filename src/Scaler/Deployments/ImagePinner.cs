using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// Pins the images of specs as they enter the desired state (apply, rollout start, agent start). A spec keeps the pin
/// it already has; then a pin known for the same reference (the spec in force, the stored pins, the deployment
/// record) is kept, so scaling, re-applying or restarting never re-reads a tag; only an image the agent has not
/// pinned yet, or a rollout started for it, is resolved on the engine.
/// </summary>
public sealed class ImagePinner(IImageResolver resolver)
{
    /// <param name="spec">The spec to pin.</param>
    /// <param name="known">Pins known for this service, most authoritative first; used when their image is the spec's.</param>
    /// <param name="fresh">Resolve on the engine even when a pin is known (a rollout started with an image).</param>
    /// <param name="cancellationToken">Cancels the engine call.</param>
    /// <returns>The spec with its pin; unpinned when the engine has no such image (creating its containers then fails
    /// and says why).</returns>
    /// <exception cref="RuntimeUnavailableException">The engine cannot be reached.</exception>
    public async Task<ServiceSpec> PinAsync(ServiceSpec spec, IEnumerable<ImagePin?> known, bool fresh, CancellationToken cancellationToken)
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
        return image is null ? spec : spec with { PinnedImage = ImagePins.PinFor(spec.Image, image) };
    }
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

using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Placement;

/// <summary>Where a host stands with the image a version runs.</summary>
public enum ImageState
{
    /// <summary>The host holds it (or cannot say what it holds): replicas are created there.</summary>
    Present,

    /// <summary>The host lacks it and can pull it from its registry: it is pulled before any replica is created there.</summary>
    Pullable,

    /// <summary>A pull of it is under way on the host: replicas wait for it.</summary>
    Pulling,

    /// <summary>The host lacks it and cannot get it now (an image id that no registry serves, or a pull that just
    /// failed): the version is not placed there.</summary>
    Unobtainable,
}

/// <summary>What a pass knows of one host's images: what it holds, what it is pulling, and which pulls failed lately.</summary>
/// <param name="Inventory">The engine's images; null when unknown (every image then counts as present, as before pulls existed).</param>
/// <param name="Pulling">Images being pulled on the host now.</param>
/// <param name="Failed">Images whose last pull on the host failed and is not retried yet, with why.</param>
public sealed record HostImages(ImageInventory? Inventory, IReadOnlySet<string> Pulling, IReadOnlyDictionary<string, string> Failed)
{
    public static HostImages Unknown { get; } = new(null, new HashSet<string>(), new Dictionary<string, string>());
}

/// <summary>An image's state on a host, and why when it cannot be had.</summary>
public sealed record ImageOnHost(ImageState State, string? Why = null)
{
    public static ImageOnHost Present { get; } = new(ImageState.Present);
}

/// <summary>
/// The image rule of placement, pure: a version goes only to hosts that hold its image or can pull it. A registry
/// digest (or tag) missing on a host is pulled there first; an image id (an image built locally, never pushed) missing
/// on a host cannot be pulled, so that host is left out of the version's placement and reported, instead of failing a
/// create there on every pass. A host whose pull just failed is left out until its retry is due.
/// </summary>
public static class ImageRule
{
    public static ImageOnHost On(string image, HostImages? host)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        if (host?.Inventory is not { } inventory || inventory.Holds(image))
        {
            return ImageOnHost.Present;
        }

        if (host.Pulling.Contains(image))
        {
            return new ImageOnHost(ImageState.Pulling, "being pulled");
        }

        if (host.Failed.TryGetValue(image, out var why))
        {
            return new ImageOnHost(ImageState.Unobtainable, $"its pull failed ({why})");
        }

        return ImageReferences.IsImageId(image)
            ? new ImageOnHost(ImageState.Unobtainable, "it is an image id (built or loaded elsewhere, never pushed), which no registry serves: load it there, or push it to a registry and apply the registry's name")
            : new ImageOnHost(ImageState.Pullable, "it is pulled first");
    }

    /// <summary>
    /// The hosts a version of <paramref name="image"/> may be placed on: <paramref name="hosts"/> as given, with those
    /// that cannot get the image unavailable. The same list (no copy) when every host can.
    /// </summary>
    public static IReadOnlyList<HostSlot> SlotsFor(string image, IReadOnlyList<HostSlot> hosts, IReadOnlyDictionary<string, HostImages> images)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return hosts;
        }

        List<HostSlot>? slots = null;
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (host.Available && On(image, images.GetValueOrDefault(host.Host)).State == ImageState.Unobtainable)
            {
                slots ??= [.. hosts];
                slots[i] = host with { Available = false };
            }
        }

        return slots ?? hosts;
    }
}

using Bollard.Scaler.Deployments;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The images the spec set allows, per service: what the applied specs name and what they were pinned to, and the
/// versions of every deployment record (stable, new and previous, with their pins): a rollout's old version is still
/// re-created until it is gone, and the controller saves a service's record before it creates any of its replicas.
/// </summary>
internal sealed class SpecSetImages
{
    private readonly Dictionary<string, HashSet<string>> _byService = new(StringComparer.Ordinal);

    public static SpecSetImages Empty { get; } = new();

    /// <param name="specs">The applied specs (with their pins, when they carry them).</param>
    /// <param name="pins">The pins stored with the applied specs, per service.</param>
    /// <param name="records">The deployment records of the state store.</param>
    public static SpecSetImages From(IEnumerable<ServiceSpec> specs, IReadOnlyDictionary<string, ImagePin>? pins, IEnumerable<Deployment> records)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(records);
        var images = new SpecSetImages();
        foreach (var spec in specs)
        {
            images.Add(spec);
        }

        foreach (var (service, pin) in pins ?? new Dictionary<string, ImagePin>())
        {
            images.Add(service, pin.Image);
            images.Add(service, pin.Pinned);
        }

        foreach (var record in records)
        {
            images.Add(record.Stable);
            images.Add(record.New);
            images.Add(record.Previous);
        }

        return images;
    }

    /// <summary>True when <paramref name="image"/> is one of <paramref name="service"/>'s images (exactly as named or pinned).</summary>
    public bool Allows(string service, string image) => _byService.TryGetValue(service, out var images) && images.Contains(image);

    /// <summary>True when <paramref name="image"/> is an image of any service (a pull serves whichever needs it).</summary>
    public bool AllowsAnywhere(string image) => _byService.Values.Any(images => images.Contains(image));

    private void Add(ServiceSpec? spec)
    {
        if (spec is not null)
        {
            Add(spec.Name, spec.Image);
            Add(spec.Name, spec.PinnedImage);
        }
    }

    private void Add(string service, string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return;
        }

        if (!_byService.TryGetValue(service, out var images))
        {
            _byService[service] = images = new HashSet<string>(StringComparer.Ordinal);
        }

        images.Add(image);
    }
}

using Bollard.Scaler.Deployments;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The versions the spec set allows, per service: the applied specs (with the pins stored with them) and the versions
/// of every deployment record (stable, new and previous, pinned): a rollout's old version is still re-created until it
/// is gone, and the controller saves a service's record before it creates any of its replicas. A host creates a
/// container only as one of them would be created, and pulls only an image one of them names.
/// </summary>
internal sealed class SpecSetVersions
{
    private readonly Dictionary<string, List<ServiceSpec>> _byService = new(StringComparer.Ordinal);

    public static SpecSetVersions Empty { get; } = new();

    /// <param name="specs">The applied specs.</param>
    /// <param name="pins">The pins stored with the applied specs, per service.</param>
    /// <param name="records">The deployment records of the state store.</param>
    public static SpecSetVersions From(IEnumerable<ServiceSpec> specs, IReadOnlyDictionary<string, ImagePin>? pins, IEnumerable<Deployment> records)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(records);
        var versions = new SpecSetVersions();
        foreach (var spec in specs)
        {
            versions.Add(pins?.GetValueOrDefault(spec.Name) is { } pin && pin.Image == spec.Image && spec.PinnedImage is null ? spec with { PinnedImage = pin.Pinned } : spec);
        }

        foreach (var record in records)
        {
            versions.Add(record.Stable);
            versions.Add(record.New);
            versions.Add(record.Previous);
        }

        return versions;
    }

    /// <summary>The versions of <paramref name="service"/> whose image (as named, or pinned) is <paramref name="image"/>.</summary>
    public IEnumerable<ServiceSpec> WithImage(string service, string image) =>
        _byService.GetValueOrDefault(service)?.Where(s => s.Image == image || s.PinnedImage == image) ?? [];

    /// <summary>True when the spec set has versions of <paramref name="service"/>.</summary>
    public bool HasService(string service) => _byService.ContainsKey(service);

    /// <summary>True when a version of any service names <paramref name="image"/> (a pull serves whichever needs it).</summary>
    public bool NamesImage(string image) => _byService.Values.Any(specs => specs.Any(s => s.Image == image || s.PinnedImage == image));

    /// <summary>
    /// True when <paramref name="request"/> confines its container as <paramref name="spec"/>'s replicas are: the same
    /// port, env files, limits, user, root filesystem, capabilities and tmpfs mounts. (Environment values are sealed
    /// with the cluster's secrets key on their way, so they need no comparison: a value sealed otherwise is refused.)
    /// </summary>
    public static bool Confines(ContainerCreateRequest request, ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spec);
        return request.ContainerPort == spec.Port
            && request.EnvFiles.SequenceEqual(spec.Env.Files, StringComparer.Ordinal)
            && request.CpuLimit == spec.Resources.Cpus
            && request.MemoryLimitBytes == spec.Resources.MemoryBytes
            && request.PidsLimit == spec.Resources.Pids
            && request.User == spec.Security.User
            && request.ReadOnlyRootFilesystem == spec.Security.ReadOnlyRootFilesystem
            && request.AddCapabilities.SequenceEqual(spec.Security.AddCapabilities, StringComparer.Ordinal)
            && request.Tmpfs.Count == spec.Security.Tmpfs.Count
            && spec.Security.Tmpfs.All(t => request.Tmpfs.TryGetValue(t.Path, out var size) && size == t.SizeBytes);
    }

    private void Add(ServiceSpec? spec)
    {
        if (spec is null)
        {
            return;
        }

        if (!_byService.TryGetValue(spec.Name, out var specs))
        {
            _byService[spec.Name] = specs = [];
        }

        specs.Add(spec);
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// The settings that make a version (image and its pin, port, environment, resources), carried as JSON on every
/// container of the version (<see cref="ContainerLabels.Settings"/>). The deployment record normally says what the
/// stable version is; when it is missing (state lost, or written by an older agent) the running containers still
/// do, so a changed spec is rolled out from them with its strategy instead of replacing them blindly.
/// </summary>
public static class VersionSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Label(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return JsonSerializer.Serialize(new Settings(spec.Image, spec.PinnedImage, spec.Port, spec.Env, spec.Resources.Cpus, spec.Resources.MemoryBytes), Json);
    }

    /// <summary>
    /// The spec of the version <paramref name="container"/> runs: <paramref name="desired"/> (for what does not make a
    /// version: replicas, route, health, rollout) with the version settings of the container's label. Null when the
    /// label is missing or unreadable, or does not give the container's version back (never guess a version).
    /// </summary>
    public static ServiceSpec? Restore(ServiceSpec desired, ObservedContainer container)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(container);
        if (!container.Labels.TryGetValue(ContainerLabels.Settings, out var text))
        {
            return null;
        }

        Settings? settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (settings is null || string.IsNullOrEmpty(settings.Image))
        {
            return null;
        }

        var spec = desired with
        {
            Image = settings.Image,
            PinnedImage = settings.PinnedImage,
            Port = settings.Port,
            Env = (settings.Env ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
            Resources = new ResourcesSpec(settings.Cpus, settings.Memory),
        };
        return spec.Version == container.Version ? spec : null;
    }

    private sealed record Settings(string Image, string? PinnedImage, int Port, IReadOnlyDictionary<string, string>? Env, double? Cpus, long? Memory);
}

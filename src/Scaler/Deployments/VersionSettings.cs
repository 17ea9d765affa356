using System.Text.Json;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Deployments;

/// <summary>
/// The settings that make a version (image and its pin, port, resources, security, and the environment's names, files
/// and keyed digest: never its values), carried as JSON on every container of the version
/// (<see cref="ContainerLabels.Settings"/>). The deployment record normally says what the stable version is; when it is
/// missing (state lost, or written by an older agent) the running containers still do, so a changed spec is rolled
/// out from them with its strategy instead of replacing them blindly.
/// </summary>
public static class VersionSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Label(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var env = spec.Env;
        return JsonSerializer.Serialize(
            new Settings(spec.Image, spec.PinnedImage, spec.Port, spec.Resources.Cpus, spec.Resources.MemoryBytes, spec.Resources.Pids, [.. env.Values.Keys], [.. env.Files], env.Digest, spec.Security),
            Json);
    }

    /// <summary>
    /// The spec of the version <paramref name="container"/> runs: <paramref name="desired"/> (for what does not make a
    /// version: replicas, route, health, rollout) with the version settings of the container's label. The label holds
    /// no environment value: the version's values are known only when they are the desired spec's (same digest), which
    /// they are unless the values changed too. Null when the label is missing or unreadable, when the values are not
    /// known, or when the settings do not give the container's version back (never guess a version).
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

        if (settings is null || string.IsNullOrEmpty(settings.Image) || settings.EnvDigest != desired.Env.Digest
            || !desired.Env.Files.SequenceEqual(settings.EnvFiles ?? []))
        {
            return null;
        }

        var spec = desired with
        {
            Image = settings.Image,
            PinnedImage = settings.PinnedImage,
            Port = settings.Port,
            Resources = new ResourcesSpec(settings.Cpus, settings.Memory) { Pids = settings.Pids ?? SpecDefaults.Pids },
            Security = settings.Security ?? new SecuritySpec(),
        };
        return spec.Version == container.Version ? spec : null;
    }

    private sealed record Settings(
        string Image,
        string? PinnedImage,
        int Port,
        double? Cpus,
        long? Memory,
        int? Pids,
        IReadOnlyList<string>? EnvNames,
        IReadOnlyList<string>? EnvFiles,
        string? EnvDigest,
        SecuritySpec? Security);
}

using System.Text.Json;
using Bollard.Balancer.Weights;

namespace Bollard.Balancer.Routing;

/// <summary>
/// The last good routing snapshot on disk, so that a balancer restarted while the catalog is unreachable still
/// routes. Writes are atomic (a temp file renamed over the old one): a crash mid-write leaves the previous file.
/// </summary>
internal static class RoutingSnapshotFile
{
    private const int CurrentFormat = 1;

    /// <summary>Writes <paramref name="snapshot"/> to <paramref name="path"/>, replacing the file atomically.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file could not be written.</exception>
    public static void Write(string path, RoutingSnapshot snapshot)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(snapshot);
        // Private to the agent's user (0700/0600), as everything in its state directory: it names every replica.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Per process, so that two balancers sharing a state directory by mistake never write the same temp file.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, ToDto(snapshot), BalancerJsonContext.Default.RoutingSnapshotDto);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The snapshot in <paramref name="path"/>, or null when there is no file.</summary>
    /// <exception cref="FormatException">The file exists but is not a readable snapshot.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static RoutingSnapshot? Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return null;
        }

        RoutingSnapshotDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), BalancerJsonContext.Default.RoutingSnapshotDto);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a routing snapshot: {e.Message}", e);
        }

        if (dto is null || dto.Format != CurrentFormat)
        {
            throw new FormatException($"{path} holds routing snapshot format {dto?.Format}; this balancer reads format {CurrentFormat}.");
        }

        try
        {
            return FromDto(dto);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{path} holds an invalid routing snapshot: {e.Message}", e);
        }
    }

    private static RoutingSnapshotDto ToDto(RoutingSnapshot snapshot) => new(
        CurrentFormat,
        [.. snapshot.Services.Select(s => new ServiceRoutingDto(
            s.Service,
            s.Host,
            s.PathPrefix,
            s.Weights?.ToDictionary(),
            s.Settings.Timeout,
            s.Settings.HealthPath,
            s.Settings.MaxConcurrentRequests,
            [.. s.Destinations.Select(d => new RoutingDestinationDto(d.InstanceId, d.Address, d.Zone, d.Version, d.Since))],
            s.Settings.SlowStartWindow,
            s.Settings.Protocol,
            s.Settings.HttpsRedirect,
            s.Settings.RateLimit))]);

    private static RoutingSnapshot FromDto(RoutingSnapshotDto dto) => new(
        (dto.Services ?? []).Select(s => new ServiceRouting(
            s.Service,
            s.Host,
            s.PathPrefix,
            (s.Destinations ?? []).Select(d => new RoutingDestination(d.Id, d.Address, d.Zone ?? string.Empty, d.Version ?? string.Empty) { Since = d.Since }),
            s.Weights is null ? null : new VersionWeights(s.Weights),
            new RouteSettings(s.Timeout, s.HealthPath, s.MaxConcurrentRequests, s.SlowStartWindow, s.Protocol, s.HttpsRedirect, s.RateLimit))));
}

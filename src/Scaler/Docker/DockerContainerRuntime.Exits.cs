using System.Collections.Concurrent;
using System.Globalization;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>
/// How stopped containers ended: exit code, OOM kill, the engine's error and the last log lines, read once per stopped
/// container (an exit never changes) and kept while the container exists. Read here, on the container's host, where its
/// environment is known: the values it got that its image did not set are masked in the log before it leaves.
/// </summary>
public sealed partial class DockerContainerRuntime
{
    private readonly ConcurrentDictionary<string, ContainerExit> exits = new(StringComparer.Ordinal);

    private async Task<IReadOnlyList<ObservedContainer>> WithExitsAsync(IReadOnlyList<ObservedContainer> containers, CancellationToken cancellationToken)
    {
        var stopped = containers.Where(c => c.State == ContainerRunState.Stopped).ToList();
        if (stopped.Count == 0)
        {
            exits.Clear();
            return containers;
        }

        // New exits are read all at once; a failed read leaves the exit unknown this time (the next list tries again).
        var unknown = stopped.Where(c => !exits.ContainsKey(c.Id)).ToList();
        await Task.WhenAll(unknown.Select(c => ReadExitAsync(c.Id, cancellationToken)));
        var present = containers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in exits.Keys.Where(id => !present.Contains(id)))
        {
            exits.TryRemove(id, out _);
        }

        return [.. containers.Select(c => c.State == ContainerRunState.Stopped && exits.TryGetValue(c.Id, out var exit) ? c with { Exit = exit } : c)];
    }

    private async Task ReadExitAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var inspect = await CallAsync(
                $"the inspection of stopped container {containerId}", options.RequestTimeout,
                ct => client.Containers.InspectContainerAsync(containerId, ct), cancellationToken);
            var log = await CallAsync(
                $"the log of stopped container {containerId}", options.RequestTimeout,
                async ct =>
                {
                    using var stream = await client.Containers.GetContainerLogsAsync(
                        containerId, false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = ExitLogTail.MaxLines.ToString(CultureInfo.InvariantCulture) }, ct);
                    var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
                    return stdout + stderr;
                },
                cancellationToken);
            var imageEnv = await ImageEnvironmentAsync(inspect.Image, cancellationToken);
            exits[containerId] = ExitOf(inspect.State, ExitLogTail.Of(log, SecretValues(inspect.Config?.Env, imageEnv)));
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            Log.ExitUnreadable(logger, containerId, e.Message);
        }
    }

    /// <summary>The image's own environment (not secret: anyone with the image reads it); empty when it cannot be read.</summary>
    private async Task<HashSet<string>> ImageEnvironmentAsync(string? image, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(image))
        {
            return [];
        }

        try
        {
            var inspect = await CallAsync($"the inspection of image {image}", options.RequestTimeout, ct => client.Images.InspectImageAsync(image, ct), cancellationToken);
            return (inspect.Config?.Env ?? []).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is RuntimeUnavailableException or ContainerOperationException)
        {
            return []; // every value of the container's environment is then masked
        }
    }

    /// <summary>The values of the variables the container got beyond its image's own ("NAME=value" entries).</summary>
    private static IEnumerable<string> SecretValues(IList<string>? containerEnv, HashSet<string> imageEnv) =>
        (containerEnv ?? [])
            .Where(entry => !imageEnv.Contains(entry))
            .Select(entry => entry.IndexOf('=', StringComparison.Ordinal) is var at && at >= 0 ? entry[(at + 1)..] : "");

    private static ContainerExit ExitOf(ContainerState? state, string logTail)
    {
        TimeSpan? ran = DateTimeOffset.TryParse(state?.StartedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
            && DateTimeOffset.TryParse(state?.FinishedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var finished)
            && finished >= started && started.Year > 1
                ? finished - started
                : null;
        return new ContainerExit((int)(state?.ExitCode ?? 0), state?.OOMKilled ?? false, ran, string.IsNullOrEmpty(state?.Error) ? null : state.Error, logTail);
    }
}

using System.Globalization;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>Translates a <see cref="ContainerCreateRequest"/> into Docker's create call.</summary>
internal static class DockerCreateParameters
{
    /// <param name="request">The replica to create.</param>
    /// <param name="fileValues">The values of the request's env files, read on this host; the request's own win.</param>
    public static CreateContainerParameters From(ContainerCreateRequest request, IReadOnlyDictionary<string, string> fileValues)
    {
        // Without these two labels the container would be invisible to ListManagedAsync: an orphan from birth.
        var missing = new[] { ContainerLabels.ManagedBy, ContainerLabels.Cluster }.Where(l => !request.Labels.ContainsKey(l)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"Container '{request.Name}' lacks the label(s) {string.Join(", ", missing)}; Bollard could not find it again.",
                nameof(request));
        }

        var portKey = string.Create(CultureInfo.InvariantCulture, $"{request.ContainerPort}/tcp");

        // The container port label lets a later list read back which published port is the service's.
        var labels = request.Labels.SetItem(ContainerLabels.ContainerPort, request.ContainerPort.ToString(CultureInfo.InvariantCulture));
        var env = fileValues.Where(kv => !request.Environment.ContainsKey(kv.Key)).Concat(request.Environment);
        return new CreateContainerParameters
        {
            Name = request.Name,
            Image = request.Image,
            Env = [.. env.Select(kv => $"{kv.Key}={kv.Value}")],
            User = request.User ?? "",
            Labels = labels.ToDictionary(),
            ExposedPorts = new Dictionary<string, EmptyStruct> { [portKey] = default },
            HostConfig = new HostConfig
            {
                // An empty host port lets the engine pick a free one; it is read back by inspecting after the start.
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [portKey] = [new PortBinding { HostIP = request.PublishAddress, HostPort = "" }],
                },

                // Bollard itself replaces dead replicas; an engine restart policy would race with it.
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
                NanoCPUs = request.CpuLimit is { } cpus ? (long)(cpus * 1_000_000_000) : 0,
                Memory = request.MemoryLimitBytes ?? 0,

                // Least privilege whatever the image asks: no setuid escalation, no capability but those the spec
                // gives back, a bounded number of processes.
                SecurityOpt = ["no-new-privileges"],
                CapDrop = ["ALL"],
                CapAdd = [.. request.AddCapabilities],
                PidsLimit = request.PidsLimit,
                ReadonlyRootfs = request.ReadOnlyRootFilesystem,
                Tmpfs = request.Tmpfs.ToDictionary(
                    t => t.Key,
                    t => string.Create(CultureInfo.InvariantCulture, $"rw,nosuid,nodev,size={t.Value}"),
                    StringComparer.Ordinal),
            },
        };
    }
}

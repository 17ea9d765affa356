using System.Collections.Immutable;
using System.Globalization;
using Bollard.Scaler.Runtime;
using Docker.DotNet.Models;

namespace Bollard.Scaler.Docker;

/// <summary>Reads Docker's list and inspect answers back into <see cref="ObservedContainer"/>: labels, state, published port.</summary>
internal static class DockerContainerMapper
{
    /// <summary>Where a published port is reachable when Docker reports none (stopped) or a wildcard address.</summary>
    public const string LoopbackAddress = "127.0.0.1";

    public static ObservedContainer FromListEntry(ContainerListResponse entry)
    {
        var labels = ToLabels(entry.Labels);
        var containerPort = ContainerPortOf(labels);
        var published = (entry.Ports ?? [])
            .Where(p => p.PublicPort != 0 && string.Equals(p.Type, "tcp", StringComparison.OrdinalIgnoreCase))
            .Where(p => containerPort is null || p.PrivatePort == containerPort)
            .OrderBy(p => p.IP.Contains(':', StringComparison.Ordinal)) // IPv4 first
            .FirstOrDefault();
        var name = entry.Names?.FirstOrDefault()?.TrimStart('/') ?? entry.ID;
        return Build(entry.ID, name, labels, MapState(entry.State), published?.IP, published?.PublicPort, entry.Created);
    }

    public static ObservedContainer FromInspect(ContainerInspectResponse inspect, int containerPort)
    {
        var labels = ToLabels(inspect.Config?.Labels);
        PortBinding? published = null;
        if (inspect.NetworkSettings?.Ports is { } ports && ports.TryGetValue($"{containerPort}/tcp", out var bindings))
        {
            published = bindings?.FirstOrDefault(b => !string.IsNullOrEmpty(b.HostPort));
        }

        int? hostPort = published is not null && int.TryParse(published.HostPort, CultureInfo.InvariantCulture, out var port)
            ? port
            : null;
        var name = inspect.Name?.TrimStart('/') ?? inspect.ID;
        return Build(inspect.ID, name, labels, MapState(inspect.State?.Status), published?.HostIP, hostPort, inspect.Created);
    }

    /// <summary>Docker's states: created, restarting, running, removing, paused, exited, dead.</summary>
    public static ContainerRunState MapState(string? state) => state?.ToUpperInvariant() switch
    {
        "RUNNING" => ContainerRunState.Running,
        "CREATED" or "RESTARTING" => ContainerRunState.Created,
        _ => ContainerRunState.Stopped,
    };

    private static ObservedContainer Build(
        string id, string name, ImmutableDictionary<string, string> labels, ContainerRunState state,
        string? hostIp, int? hostPort, DateTime created) =>
        new(
            id,
            name,
            labels.GetValueOrDefault(ContainerLabels.Service, ""),
            labels.GetValueOrDefault(ContainerLabels.Version, ""),
            labels.GetValueOrDefault(ContainerLabels.Zone, ""),
            state,
            HostAddressOf(hostIp),
            hostPort is > 0 ? hostPort : null,
            new DateTimeOffset(DateTime.SpecifyKind(created.ToUniversalTime(), DateTimeKind.Utc)))
        {
            Labels = labels,
        };

    private static ImmutableDictionary<string, string> ToLabels(IDictionary<string, string>? labels) =>
        labels is null ? ImmutableDictionary<string, string>.Empty : labels.ToImmutableDictionary();

    private static int? ContainerPortOf(ImmutableDictionary<string, string> labels) =>
        labels.TryGetValue(ContainerLabels.ContainerPort, out var text) &&
        int.TryParse(text, CultureInfo.InvariantCulture, out var port)
            ? port
            : null;

    private static string HostAddressOf(string? hostIp) =>
        string.IsNullOrEmpty(hostIp) || hostIp is "0.0.0.0" or "::" ? LoopbackAddress : hostIp;
}

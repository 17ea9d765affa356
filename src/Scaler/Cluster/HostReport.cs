using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// What a host's agent publishes about its host for the controller: who and where the host is, and the managed
/// containers its engine runs (or why the engine cannot be read). Held by the agent's session, so it vanishes when
/// the agent dies; re-published every <see cref="ClusterOptions.PublishInterval"/> with the next
/// <see cref="Sequence"/>, so a controller also sees an agent that hangs.
/// </summary>
/// <param name="Host">The host's name, unique in the cluster.</param>
/// <param name="Zone">The host's zone (rack).</param>
/// <param name="PublishAddress">The address its replicas' ports are published on (the controller probes them there).</param>
/// <param name="AdvertiseAddress">The address registered in the catalog; null: <paramref name="PublishAddress"/>.</param>
/// <param name="Agent">Which agent publishes it (for operators, and to tell two agents claiming one host apart).</param>
/// <param name="Sequence">Counts the agent's publications; a report that stops moving is stale.</param>
/// <param name="Containers">The managed containers of the cluster on the host's engine (empty when unreachable).</param>
/// <param name="Unreachable">Why the engine could not be listed; null when it could.</param>
public sealed record HostReport(
    string Host,
    string Zone,
    string PublishAddress,
    string? AdvertiseAddress,
    string Agent,
    long Sequence,
    IReadOnlyList<ObservedContainer> Containers,
    string? Unreachable)
{
    /// <summary>
    /// A CPU reading of each running container, taken with the report (missing ones could not be read), so that the
    /// controller's cpu metric covers every host. Readings carry the engine's own clock: rates are only ever computed
    /// between two readings of one container.
    /// </summary>
    public IReadOnlyDictionary<string, ContainerCpuSample>? Cpu { get; init; }

    /// <summary>
    /// The images the host's engine holds (ids, tags, registry digests), so that the controller places a version only
    /// where its image is or can be pulled, and pulls it first where it is missing. Null when the engine could not list
    /// them, or from an agent that does not report them: every image then counts as present there.
    /// </summary>
    public ImageInventory? Images { get; init; }

    /// <summary>The same host, containers and images, whatever the sequence and CPU readings: a change worth a reconcile pass.</summary>
    public bool SameStateAs(HostReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Host == other.Host && Zone == other.Zone && PublishAddress == other.PublishAddress && AdvertiseAddress == other.AdvertiseAddress
            && Unreachable == other.Unreachable && Equals(Images, other.Images) && Containers.SequenceEqual(other.Containers, ContainerStateComparer.Instance);
    }

    private sealed class ContainerStateComparer : IEqualityComparer<ObservedContainer>
    {
        public static readonly ContainerStateComparer Instance = new();

        // Labels are left out: they never change on a container (record equality would compare the dictionaries by reference).
        public bool Equals(ObservedContainer? x, ObservedContainer? y) =>
            x is not null && y is not null && x.Id == y.Id && x.State == y.State && x.HostPort == y.HostPort && x.HostAddress == y.HostAddress && Equals(x.Exit, y.Exit);

        public int GetHashCode(ObservedContainer obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}

namespace Bollard.Scaler.Placement;

/// <summary>A host replicas can be placed on, its zone (rack), and whether it can take replicas now.</summary>
/// <param name="Host">The host's name (its engine's name in the config).</param>
/// <param name="Zone">The zone (rack) label of the host.</param>
/// <param name="Available">False when the host's engine is unreachable or the host is drained: it gets no new
/// replicas and its replicas are not touched.</param>
public sealed record HostSlot(string Host, string Zone, bool Available);

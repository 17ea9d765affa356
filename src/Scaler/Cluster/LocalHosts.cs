using Bollard.Scaler.Hosts;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// The hosts whose engines this agent reaches itself (its local engine, or the engines its config lists), read
/// from the <see cref="HostSet"/> before the controller adds remote hosts to it.
/// </summary>
public sealed record LocalHosts(IReadOnlyList<ManagedHost> Hosts);

namespace Bollard.Scaler.Specs;

/// <summary>How replicas spread: evenly over zones, then over the hosts of each zone.</summary>
/// <param name="MaxSkew">The largest difference allowed between the replica counts of two zones (and of two hosts
/// of one zone) that can take replicas.</param>
public sealed record PlacementSpec(int MaxSkew = 1);

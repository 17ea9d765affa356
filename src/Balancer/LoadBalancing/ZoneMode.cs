namespace Bollard.Balancer.LoadBalancing;

/// <summary>How the balancer weighs zones when picking a replica.</summary>
public enum ZoneMode
{
    /// <summary>Prefer replicas in the balancer's own zone while it holds its share of capacity; spill over the rest.</summary>
    PreferLocal,

    /// <summary>Ignore zones: every replica of the chosen version is a candidate.</summary>
    Spread,
}

namespace Bollard.Balancer.Weights;

/// <summary>The share of a service's traffic that one version gets.</summary>
/// <param name="Version">The version (as registered in the catalog).</param>
/// <param name="PerMille">Its share in tenths of a percent, 0..1000.</param>
public readonly record struct VersionWeight(string Version, int PerMille);

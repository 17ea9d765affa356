using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Weights;

/// <summary>
/// Per-service traffic weights of each version, set by the control plane (in process on a single host, Consul KV
/// otherwise). A service without weights is not split by version: every healthy replica gets an equal share, so each
/// version gets traffic in proportion to its replica count (plain least-request over all destinations).
/// </summary>
public interface IVersionWeightSource
{
    /// <summary>
    /// The weights by service name; null while the source has had no answer yet (the balancer then keeps the
    /// weights it already routes with, e.g. those of the snapshot loaded from disk).
    /// </summary>
    IReadOnlyDictionary<string, VersionWeights>? Current { get; }

    /// <summary>Fires after <see cref="Current"/> changed.</summary>
    IChangeToken GetChangeToken();
}

using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Routing;

/// <summary>
/// The routes the balancer serves, one per service. The host fills it from the service specs; a change is
/// signalled through the change token, after which <see cref="Current"/> holds the new set.
/// </summary>
public interface IServiceRouteSource
{
    /// <summary>
    /// The routes; null while the source has had no answer yet (e.g. its store cannot be read at start): the balancer
    /// then keeps the routes it already serves, e.g. those of the snapshot loaded from disk (static stability).
    /// </summary>
    IReadOnlyList<ServiceRoute>? Current { get; }

    IChangeToken GetChangeToken();
}

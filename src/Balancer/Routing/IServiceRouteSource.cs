using Microsoft.Extensions.Primitives;

namespace Bollard.Balancer.Routing;

/// <summary>
/// The routes the balancer serves, one per service. The host fills it from the service specs; a change is
/// signalled through the change token, after which <see cref="Current"/> holds the new set.
/// </summary>
public interface IServiceRouteSource
{
    IReadOnlyList<ServiceRoute> Current { get; }

    IChangeToken GetChangeToken();
}

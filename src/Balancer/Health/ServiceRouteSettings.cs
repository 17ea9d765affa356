using Bollard.Balancer.Routing;

namespace Bollard.Balancer.Health;

/// <summary>Per-service overrides carried by <see cref="ServiceRoute"/>, looked up when YARP loads a config.</summary>
internal static class ServiceRouteSettings
{
    public static ServiceRoute? Find(IServiceRouteSource routes, string service)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var route in routes.Current)
        {
            if (route.Service == service)
            {
                return route;
            }
        }

        return null;
    }
}

using Bollard.Balancer.Routing;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Specs;

namespace Bollard.Agent;

/// <summary>Keeps the balancer's routes in step with the applied specs (the scaler does not know the balancer).</summary>
internal sealed class RouteSourceUpdater(InMemoryServiceRouteSource routes) : IAppliedSpecsListener
{
    public void OnApplied(IReadOnlyList<ServiceSpec> specs) => routes.Update(AgentHost.RoutesOf(specs));
}

using Bollard.Discovery;
using Bollard.Scaler.Admin;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;

namespace Bollard.Dashboard;

/// <summary>
/// Reads the dashboard's state from what the agent already keeps: the services as the admin API answers them, the
/// containers and hosts of the reconciler's last pass (no call to Docker), the healthy instances in the catalog, the
/// decision log, and the traffic history.
/// </summary>
internal sealed class DashboardSampler(IControlPlane plane, IServiceCatalog catalog, Reconciler reconciler, DecisionLog decisions, TrafficHistory traffic)
{
    public const int MaxDecisions = 200;

    public async Task<DashboardState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var services = await plane.GetServicesAsync(cancellationToken);
        var observation = reconciler.LastObservation;
        var healthy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            try
            {
                healthy.UnionWith((await catalog.GetHealthyAsync(service.Name, cancellationToken)).Instances.Select(i => i.Id));
            }
            catch (CatalogUnavailableException)
            {
                // Shown as not ready rather than guessed; the service's own status says the catalog is unknown.
            }
        }

        var replicas = observation
            .SelectMany(h => h.Containers.Select(c => new ReplicaView(
                c.ShortId,
                c.Service,
                c.Version,
                h.Host.Name,
                h.Host.Zone,
                ReplicaStates.Of(c.State, reconciler.IsRemoving(c.Id), healthy.Contains(ReplicaRequests.InstanceId(c)), reconciler.IsRegistered(c.Id)),
                c.Created)))
            .OrderBy(r => r.Service, StringComparer.Ordinal).ThenBy(r => r.Zone, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var hosts = observation
            .Select(h => new HostView(h.Host.Name, h.Host.Zone, h.Available, h.Unreachable, h.Containers.Count))
            .OrderBy(h => h.Zone, StringComparer.Ordinal).ThenBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var recent = DashboardChanges.Recent(await decisions.ReadAsync(null, cancellationToken), MaxDecisions);
        return new DashboardState(now, services, replicas, hosts, recent, traffic.Read());
    }
}

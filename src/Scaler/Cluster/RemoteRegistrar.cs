using Bollard.Discovery;
using Bollard.Scaler.Hosts;
using Microsoft.Extensions.Options;

namespace Bollard.Scaler.Cluster;

/// <summary>
/// Registers a remote host's replicas through that host's agent, in the Consul agent of that host: a registration
/// made in the controller's own Consul agent would die with the controller's node and outlive the host.
/// </summary>
public sealed class RemoteRegistrar(string host, HostCommandClient commands, IOptions<ClusterOptions> options) : IReplicaRegistrar
{
    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken) =>
        RunAsync(new HostCommand(RemoteHostRuntime.NewId(), HostCommandKind.Register) { Registration = registration }, cancellationToken);

    public Task DeregisterAsync(string instanceId, CancellationToken cancellationToken) =>
        RunAsync(new HostCommand(RemoteHostRuntime.NewId(), HostCommandKind.Deregister) { InstanceId = instanceId }, cancellationToken);

    private async Task RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        var result = await commands.SendAsync(host, command, options.Value.CommandTimeout, null, cancellationToken);
        if (!result.Succeeded)
        {
            throw new CatalogUnavailableException($"host {host}: {result.Error}");
        }
    }
}

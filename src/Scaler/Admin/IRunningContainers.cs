using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Admin;

/// <summary>
/// The managed containers of the cluster on every host the agent answers for: what `bollard plan` compares the specs
/// with. On a single host, its engines (<see cref="HostContainers"/>); in cluster mode, every host's last report, so
/// that any agent's plan covers the whole cluster.
/// </summary>
public interface IRunningContainers
{
    /// <exception cref="RuntimeUnavailableException">They cannot all be read (an engine down, the hosts not read yet).</exception>
    Task<IReadOnlyList<ObservedContainer>> ListAsync(CancellationToken cancellationToken);
}

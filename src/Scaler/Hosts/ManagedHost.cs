using Bollard.Scaler.Runtime;

namespace Bollard.Scaler.Hosts;

/// <summary>
/// One Docker engine the scaler places replicas on, with the zone (rack) it stands in. On a real cluster each host's
/// agent manages its local engine; several engines listed in one agent's config let a single machine stand for
/// several hosts and zones (this is how the tests run three zones).
/// </summary>
/// <param name="Name">Unique host name (labels and decisions use it).</param>
/// <param name="Zone">The zone or rack of the host.</param>
/// <param name="PublishAddress">Host address container ports are published on.</param>
/// <param name="AdvertiseAddress">The address registered in the catalog; null means <paramref name="PublishAddress"/>.</param>
/// <param name="Runtime">The engine.</param>
public sealed record ManagedHost(string Name, string Zone, string PublishAddress, string? AdvertiseAddress, IContainerRuntime Runtime)
{
    public string RegisteredAddress => AdvertiseAddress ?? PublishAddress;
}

/// <summary>The hosts this agent manages. When it made their runtimes itself it disposes them.</summary>
public sealed class HostSet(IReadOnlyList<ManagedHost> hosts, bool ownsRuntimes = false) : IDisposable
{
    public IReadOnlyList<ManagedHost> Hosts { get; } = hosts;

    public ManagedHost this[string name] => Hosts.First(h => h.Name == name);

    public void Dispose()
    {
        if (ownsRuntimes)
        {
            foreach (var host in Hosts)
            {
                (host.Runtime as IDisposable)?.Dispose();
            }
        }
    }
}

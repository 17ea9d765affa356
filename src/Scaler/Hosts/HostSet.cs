namespace Bollard.Scaler.Hosts;

/// <summary>
/// The hosts this agent manages. Fixed for an agent that manages its own engines; in cluster mode the controller
/// replaces the set as hosts join and leave (<see cref="Replace"/>), and each pass works on the set it read first.
/// When it made the initial runtimes itself it disposes them.
/// </summary>
public sealed class HostSet(IReadOnlyList<ManagedHost> hosts, bool ownsRuntimes = false) : IDisposable
{
    private readonly IReadOnlyList<ManagedHost> _initial = hosts;
    private volatile IReadOnlyList<ManagedHost> _hosts = hosts;

    /// <summary>The current hosts (an immutable list: a later <see cref="Replace"/> does not change it).</summary>
    public IReadOnlyList<ManagedHost> Hosts => _hosts;

    /// <exception cref="KeyNotFoundException">No such host (it left the set).</exception>
    public ManagedHost this[string name] =>
        _hosts.FirstOrDefault(h => h.Name == name) ?? throw new KeyNotFoundException($"host '{name}' is not managed (any more)");

    /// <summary>Swaps the whole set at once; passes under way keep the hosts they read.</summary>
    public void Replace(IReadOnlyList<ManagedHost> hosts) => _hosts = [.. hosts];

    public void Dispose()
    {
        if (ownsRuntimes)
        {
            foreach (var host in _initial)
            {
                (host.Runtime as IDisposable)?.Dispose();
            }
        }
    }
}

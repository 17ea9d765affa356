using Bollard.Scaler.Health;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>
/// What the agent remembers between passes about the containers it found: health as probed, whether each is in the
/// catalog, which are being removed, and which services' creates are backing off. Only the reconciler writes it,
/// under its single-pass lock; removals finishing in the background and replicas registered as soon as they started
/// use the locked members (registration and removal).
/// </summary>
internal sealed class ReplicaTracker
{
    private readonly Dictionary<string, ReplicaHealth> _health = new(StringComparer.Ordinal);
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removing = new(StringComparer.Ordinal);

    // Removed by this agent but possibly still in an observation taken before the removal ended: such a container, seen
    // stopped, is not a replica that failed. Forgotten once no observation holds it (KeepOnly).
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string Host), (DateTimeOffset Until, int Failures)> _createBackoff = [];
    private readonly Dictionary<string, IReadOnlySet<string>> _servicesByHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Path, int? Port, Uri Url)> _healthUrls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ReplicaHealth HealthOf(string containerId) =>
        _health.GetValueOrDefault(containerId, ReplicaHealth.Unknown);

    public void RecordProbe(string containerId, bool passed) =>
        _health[containerId] = HealthOf(containerId).After(passed);

    /// <summary>
    /// The URL a replica's health is probed at. Remembered per container: every pass probes every replica, and
    /// building and parsing a Uri for each of them was a large share of a steady pass's allocations.
    /// </summary>
    public Uri HealthUrl(ObservedContainer container, HealthCheckSpec health)
    {
        if (_healthUrls.TryGetValue(container.Id, out var known) && known.Path == health.Path && known.Port == container.HostPort)
        {
            return known.Url;
        }

        var url = ReplicaRequests.HealthUrl(container, health);
        _healthUrls[container.Id] = (health.Path, container.HostPort, url);
        return url;
    }

    public bool IsRegistered(string containerId)
    {
        lock (_lock)
        {
            return _registered.Contains(containerId);
        }
    }

    public void MarkRegistered(string containerId)
    {
        lock (_lock)
        {
            _registered.Add(containerId);
        }
    }

    /// <summary>
    /// Marks a replica registered unless its removal has begun; false then, and the caller takes the registration back.
    /// One lock for both sets: a removal reads <see cref="IsRegistered"/> after <see cref="TryBeginRemoval"/>, so either
    /// the removal sees the registration and deregisters, or the registration sees the removal.
    /// </summary>
    public bool TryMarkRegistered(string containerId)
    {
        lock (_lock)
        {
            if (_removing.Contains(containerId))
            {
                return false;
            }

            _registered.Add(containerId);
            return true;
        }
    }

    public void MarkDeregistered(string containerId)
    {
        lock (_lock)
        {
            _registered.Remove(containerId);
        }
    }

    public bool TryBeginRemoval(string containerId)
    {
        lock (_lock)
        {
            return _removing.Add(containerId);
        }
    }

    /// <summary>Whether the agent is removing the container, or removed it and an older observation may still list it.</summary>
    public bool IsRemoving(string containerId)
    {
        lock (_lock)
        {
            return _removing.Contains(containerId) || _removed.Contains(containerId);
        }
    }

    /// <param name="containerId">The container.</param>
    /// <param name="removed">Whether the engine removed it; if not (a failure, a lost lead), the next pass sees it again
    /// and decides anew.</param>
    public void EndRemoval(string containerId, bool removed)
    {
        lock (_lock)
        {
            _removing.Remove(containerId);
            if (removed)
            {
                _removed.Add(containerId);
            }
        }
    }

    /// <summary>Forgets containers that no longer exist on the engine.</summary>
    public void KeepOnly(IReadOnlySet<string> existing)
    {
        foreach (var id in _health.Keys.Where(id => !existing.Contains(id)).ToList())
        {
            _health.Remove(id);
        }

        lock (_lock)
        {
            _registered.RemoveWhere(id => !existing.Contains(id));
            _removed.RemoveWhere(id => !existing.Contains(id));
        }

        foreach (var id in _healthUrls.Keys.Where(id => !existing.Contains(id)).ToList())
        {
            _healthUrls.Remove(id);
        }
    }

    /// <summary>Remembers which services a host ran when it was last seen, for when it cannot be seen.</summary>
    public void RememberServices(string host, IEnumerable<string> services) =>
        _servicesByHost[host] = services.ToHashSet(StringComparer.Ordinal);

    /// <summary>The services last seen on a host; null when the host has never been seen (anything may run there).</summary>
    public IReadOnlySet<string>? LastServicesOn(string host) => _servicesByHost.GetValueOrDefault(host);

    /// <summary>The services and hosts whose creates back off at <paramref name="now"/>.</summary>
    public IReadOnlySet<(string Service, string Host)> CreateBlocked(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _createBackoff.Where(kv => kv.Value.Until > now).Select(kv => kv.Key).ToHashSet();
        }
    }

    /// <summary>
    /// Backs off creates of a service on one host exponentially after a failure there (1 s, 2 s, 4 s... up to the cap).
    /// Per host: one engine refusing or timing out must not slow the service's creates on the others.
    /// </summary>
    public TimeSpan RecordCreateFailure(string service, string host, DateTimeOffset now, TimeSpan cap)
    {
        lock (_lock)
        {
            var failures = _createBackoff.TryGetValue((service, host), out var previous) ? previous.Failures + 1 : 1;
            var wait = TimeSpan.FromSeconds(Math.Min(cap.TotalSeconds, Math.Pow(2, failures - 1)));
            _createBackoff[(service, host)] = (now + wait, failures);
            return wait;
        }
    }

    public void RecordCreateSuccess(string service, string host)
    {
        lock (_lock)
        {
            _createBackoff.Remove((service, host));
        }
    }
}

using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>A version whose replicas keep failing at start, as status shows it.</summary>
/// <param name="Service">The service.</param>
/// <param name="Version">The version.</param>
/// <param name="FailedStarts">Failed starts in a row.</param>
/// <param name="NextStartAt">No replica of it is created before this.</param>
/// <param name="LastFailure">The last failure, in words.</param>
public sealed record CrashLoop(string Service, string Version, int FailedStarts, DateTimeOffset NextStartAt, string LastFailure);

/// <summary>
/// The crash back-off's memory: per service and version, the failed starts in a row and until when creates wait
/// (<see cref="CrashBackoff"/>). Written by the reconciler during its passes; read by status and the rollout analysis
/// from other threads, hence the lock. Forgotten when the agent restarts: a restart retries every version once.
/// </summary>
internal sealed class CrashLoops(Func<double> random)
{
    private readonly Dictionary<(string Service, string Version), CrashLoop> _loops = [];
    private readonly Lock _lock = new();

    /// <summary>Counts a failed start of a version; returns the count and how long its creates now wait.</summary>
    public (int FailedStarts, TimeSpan Wait) RecordFailedStart(ServiceSpec spec, string version, DateTimeOffset now, string failure)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
        {
            var failed = _loops.TryGetValue((spec.Name, version), out var loop) ? loop.FailedStarts + 1 : 1;
            var wait = CrashBackoff.Delay(spec.CrashBackoff, failed, random());
            _loops[(spec.Name, version)] = new CrashLoop(spec.Name, version, failed, now + wait, failure);
            return (failed, wait);
        }
    }

    /// <summary>
    /// Clears the count of every version with a replica that passes its check and has run for its service's reset time,
    /// and forgets services no longer declared. Returns the versions cleared.
    /// </summary>
    public IReadOnlyList<CrashLoop> ClearRecovered(IReadOnlyList<ReplicaView> replicas, IReadOnlyDictionary<string, ServiceSpec> specs, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_loops.Count == 0)
            {
                return [];
            }

            var cleared = new List<CrashLoop>();
            foreach (var replica in replicas)
            {
                var key = (replica.Container.Service, replica.Container.Version);
                if (_loops.TryGetValue(key, out var loop) && replica.Health.Passing && specs.TryGetValue(key.Service, out var spec)
                    && now - replica.Container.Created >= spec.CrashBackoff.ResetAfter)
                {
                    _loops.Remove(key);
                    cleared.Add(loop);
                }
            }

            foreach (var key in _loops.Keys.Where(k => !specs.ContainsKey(k.Service)).ToList())
            {
                _loops.Remove(key);
            }

            return cleared;
        }
    }

    /// <summary>The versions whose creates wait at <paramref name="now"/>.</summary>
    public IReadOnlySet<(string Service, string Version)> Blocked(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _loops.Count == 0 ? Empty : _loops.Values.Where(l => l.NextStartAt > now).Select(l => (l.Service, l.Version)).ToHashSet();
        }
    }

    /// <summary>Failed starts in a row of a version (0 when none).</summary>
    public int FailedStarts(string service, string version)
    {
        lock (_lock)
        {
            return _loops.TryGetValue((service, version), out var loop) ? loop.FailedStarts : 0;
        }
    }

    /// <summary>The versions of a service with failed starts counted.</summary>
    public IReadOnlyList<CrashLoop> Of(string service)
    {
        lock (_lock)
        {
            return [.. _loops.Values.Where(l => l.Service == service).OrderBy(l => l.Version, StringComparer.Ordinal)];
        }
    }

    private static readonly HashSet<(string, string)> Empty = [];
}

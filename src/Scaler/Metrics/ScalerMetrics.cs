using System.Collections.Immutable;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Reconcile;
using Prometheus;

namespace Bollard.Scaler.Metrics;

/// <summary>
/// The control plane's series: replicas per service and zone, decisions, reconcile errors and pass durations, rollout
/// progress and per-version weights, host reachability, leadership. Labels are bounded by configuration (services,
/// versions, zones, hosts, a fixed set of actions and kinds), and the series of a service, version or host that is
/// gone are deleted, so a year of rollouts does not leave a year of dead series. The reference is docs/metrics.md.
/// </summary>
public sealed partial class ScalerMetrics
{
    private readonly Gauge _desired;
    private readonly Gauge _live;
    private readonly Gauge _healthy;
    private readonly Gauge _desiredPerZone;
    private readonly Gauge _healthyPerZone;
    private readonly Counter _decisions;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _passDuration;
    private readonly Gauge _leader;
    private readonly Gauge _min;
    private readonly Gauge _max;
    private readonly string _cluster;
    private readonly Gauge _hostReachable;
    private readonly Gauge _rolloutStep;
    private readonly Gauge _rolloutSteps;
    private readonly Gauge _rolloutPhase;
    private readonly Counter _rollbacks;
    private readonly Gauge _weight;

    // What each service's gauges were last set to: a pass publishes every service, but counts rarely change, and a
    // service missing from a pass is gone (its series are deleted).
    private readonly Dictionary<string, ServiceCount> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RolloutSeries> _rollouts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _actions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="factory">Where the series are created.</param>
    /// <param name="cluster">The cluster label of <c>bollard_controller_leader</c>.</param>
    public ScalerMetrics(IMetricFactory factory, string cluster = "default")
    {
        ArgumentNullException.ThrowIfNull(factory);
        _cluster = cluster;
        _desired = factory.CreateGauge("bollard_scaler_desired_replicas", "Replicas the scaler wants now (the spec's count, or the autoscaler's within the spec's range), per service.", ["service"]);
        _live = factory.CreateGauge("bollard_scaler_live_replicas", "Running replicas of the service's versions on the hosts this agent reconciles, per service.", ["service"]);
        _healthy = factory.CreateGauge("bollard_scaler_healthy_replicas", "Live replicas whose last health check passed, per service.", ["service"]);
        _desiredPerZone = factory.CreateGauge("bollard_scaler_zone_desired_replicas", "Replicas placement wants in each zone, per service.", ["service", "zone"]);
        _healthyPerZone = factory.CreateGauge("bollard_scaler_zone_healthy_replicas", "Healthy replicas in each zone, per service.", ["service", "zone"]);
        _decisions = factory.CreateCounter("bollard_decisions_total", "Decisions taken (scale, create, register, remove, rollout start/step/analysis/commands, adopt), per service and action; `bollard decisions` says why.", ["service", "action"]);
        _reconcileErrors = factory.CreateCounter("bollard_reconcile_errors_total", "Reconcile passes that failed, by kind (runtime_unavailable, catalog_unavailable, state_store_unavailable, other).", ["kind"]);
        _passDuration = factory.CreateHistogram(
            "bollard_reconcile_pass_duration_seconds",
            "Time one reconcile pass took (observe every host, decide, apply), failed passes included.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
        _leader = factory.CreateGauge("bollard_controller_leader", "1 while this agent is the controller that reconciles its cluster's hosts (always, without controller: cluster), else 0.", ["cluster"]);
        _min = factory.CreateGauge("bollard_scaler_min_replicas", "The low end of the service's replica range (its count when fixed), per service.", ["service"]);
        _max = factory.CreateGauge("bollard_scaler_max_replicas", "The high end of the service's replica range (its count when fixed), per service.", ["service"]);
        _hostReachable = factory.CreateGauge("bollard_host_reachable", "1 when the host's engine (and, in a cluster, its report) answered the last reconcile pass, else 0, per host and zone.", ["host", "zone"]);
        _rolloutStep = factory.CreateGauge("bollard_rollout_step", "Steps of the service's latest rollout carried out (equal to bollard_rollout_steps once all are done).", ["service"]);
        _rolloutSteps = factory.CreateGauge("bollard_rollout_steps", "Steps in the service's latest rollout (1 for rolling and blue/green).", ["service"]);
        _rolloutPhase = factory.CreateGauge("bollard_rollout_phase", "1 for the phase the service's latest rollout is in (progressing, paused, analyzing, promoting, succeeded, rolling_back, rolled_back, aborted).", ["service", "phase"]);
        _rollbacks = factory.CreateCounter("bollard_rollbacks_total", "Rollouts that started rolling back on failed analysis checks, per service.", ["service"]);
        _weight = factory.CreateGauge("bollard_version_weight_percent", "The share of the service's requests each version gets, in percent.", ["service", "version"]);
    }

    /// <summary>Counts a decision (every entry of the decision log).</summary>
    public void Decided(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_lock)
        {
            if (!_actions.TryGetValue(decision.Service, out var actions))
            {
                _actions[decision.Service] = actions = new HashSet<string>(StringComparer.Ordinal);
            }

            actions.Add(decision.Action);
        }

        _decisions.WithLabels(decision.Service, decision.Action).Inc();
    }

    /// <summary>Counts a failed reconcile pass: the loop calls it where it catches the failure.</summary>
    public void ReconcileFailed(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _reconcileErrors.WithLabels(error switch
        {
            Runtime.RuntimeUnavailableException => "runtime_unavailable",
            Discovery.CatalogUnavailableException => "catalog_unavailable",
            State.StateStoreUnavailableException => "state_store_unavailable",
            _ => "other",
        }).Inc();
    }

    public void PassTook(TimeSpan elapsed) => _passDuration.Observe(elapsed.TotalSeconds);

    /// <summary>Whether this agent reconciles now. An agent that stops leading deletes the series it published as the
    /// controller: the new controller's are the truth, and stale ones would keep alerts firing (or silent).</summary>
    public void Leading(bool leading)
    {
        _leader.WithLabels(_cluster).Set(leading ? 1 : 0);
        if (!leading)
        {
            lock (_lock)
            {
                foreach (var service in _published.Keys.Union(_rollouts.Keys).ToList())
                {
                    ForgetService(service);
                }

                foreach (var (host, zone) in _hosts)
                {
                    _hostReachable.RemoveLabelled(host, zone);
                }

                _hosts.Clear();
            }
        }
    }

    /// <summary>The reachability of every host of the last pass; hosts no longer listed are deleted.</summary>
    public void Hosts(IEnumerable<(string Host, string Zone, bool Reachable)> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        lock (_lock)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (host, zone, reachable) in hosts)
            {
                seen.Add(host);
                if (_hosts.TryGetValue(host, out var was) && was != zone)
                {
                    _hostReachable.RemoveLabelled(host, was);
                }

                _hosts[host] = zone;
                _hostReachable.WithLabels(host, zone).Set(reachable ? 1 : 0);
            }

            foreach (var gone in _hosts.Keys.Where(h => !seen.Contains(h)).ToList())
            {
                _hostReachable.RemoveLabelled(gone, _hosts[gone]);
                _hosts.Remove(gone);
            }
        }
    }

    /// <summary>The replica range of each desired service (its series are deleted with the service, in <see cref="Publish"/>).</summary>
    public void Ranges(IEnumerable<(string Service, int Min, int Max)> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        foreach (var (service, min, max) in ranges)
        {
            _min.WithLabels(service).Set(min);
            _max.WithLabels(service).Set(max);
        }
    }

    /// <summary>The replica counts of every service of a pass; a service missing from it is gone and its series are deleted.</summary>
    public void Publish(IReadOnlyList<ServiceCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        lock (_lock)
        {
            foreach (var count in counts)
            {
                if (_published.TryGetValue(count.Service, out var last) && SameNumbers(last, count))
                {
                    continue;
                }

                Set(count, last);
                _published[count.Service] = last is null ? count : count with
                {
                    // The zones ever published stay known (at 0), so that they are set, and deleted with the service.
                    DesiredPerZone = Merge(count.DesiredPerZone, last.DesiredPerZone),
                    HealthyPerZone = Merge(count.HealthyPerZone, last.HealthyPerZone),
                };
            }

            var present = counts.Select(c => c.Service).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _published.Keys.Union(_rollouts.Keys).Union(_actions.Keys).Where(s => !present.Contains(s)).ToList())
            {
                ForgetService(gone);
            }
        }
    }

    private static ImmutableSortedDictionary<string, int> Merge(ImmutableSortedDictionary<string, int> now, ImmutableSortedDictionary<string, int> before) =>
        before.Keys.Aggregate(now, (merged, zone) => merged.ContainsKey(zone) ? merged : merged.Add(zone, 0));

    private static bool SameNumbers(ServiceCount a, ServiceCount b) =>
        a.Desired == b.Desired && a.Live == b.Live && a.Healthy == b.Healthy
        && SameCounts(a.DesiredPerZone, b.DesiredPerZone) && SameCounts(a.HealthyPerZone, b.HealthyPerZone);

    private static bool SameCounts(ImmutableSortedDictionary<string, int> a, ImmutableSortedDictionary<string, int> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);

    /// <param name="count">The counts now.</param>
    /// <param name="last">What was published before: a zone gone from both counts (its hosts unreachable) is set to 0,
    /// not left at its last value nor deleted, so "a zone without replicas" can be alerted on.</param>
    private void Set(ServiceCount count, ServiceCount? last)
    {
        _desired.WithLabels(count.Service).Set(count.Desired);
        _live.WithLabels(count.Service).Set(count.Live);
        _healthy.WithLabels(count.Service).Set(count.Healthy);

        // Zones are few and fixed by the hosts' config, so the label stays bounded.
        var zones = count.DesiredPerZone.Keys.Union(count.HealthyPerZone.Keys);
        if (last is not null)
        {
            zones = zones.Union(last.DesiredPerZone.Keys).Union(last.HealthyPerZone.Keys);
        }

        foreach (var zone in zones)
        {
            _desiredPerZone.WithLabels(count.Service, zone).Set(count.DesiredPerZone.GetValueOrDefault(zone));
            _healthyPerZone.WithLabels(count.Service, zone).Set(count.HealthyPerZone.GetValueOrDefault(zone));
        }
    }

    private void ForgetService(string service)
    {
        if (_published.Remove(service, out var last))
        {
            _desired.RemoveLabelled(service);
            _min.RemoveLabelled(service);
            _max.RemoveLabelled(service);
            _live.RemoveLabelled(service);
            _healthy.RemoveLabelled(service);
            foreach (var zone in last.DesiredPerZone.Keys.Union(last.HealthyPerZone.Keys))
            {
                _desiredPerZone.RemoveLabelled(service, zone);
                _healthyPerZone.RemoveLabelled(service, zone);
            }
        }

        if (_rollouts.Remove(service, out var rollout))
        {
            RemoveRollout(service, rollout);
            foreach (var version in rollout.Weights.Keys)
            {
                _weight.RemoveLabelled(service, version);
            }
        }

        _rollbacks.RemoveLabelled(service);
        foreach (var action in _actions.GetValueOrDefault(service) ?? [])
        {
            _decisions.RemoveLabelled(service, action);
        }

        _actions.Remove(service);
    }
}

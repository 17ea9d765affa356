using System.Runtime.CompilerServices;
using Bollard.Balancer.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Health;

/// <summary>
/// YARP passive health policy: counts consecutive failures per replica and ejects it (passive health Unhealthy,
/// reactivated by YARP's updater after the decided duration). The success path is a table lookup and, only when
/// a streak was running, one write. Ejections are decided under one lock so that two replicas failing at once
/// cannot both pass the cap check.
/// </summary>
internal sealed partial class OutlierDetectionPolicy(
    IDestinationHealthUpdater updater,
    BalancerMetrics metrics,
    TimeProvider time,
    IOptionsMonitor<BalancerOptions> options,
    ILogger<OutlierDetectionPolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "bollard-outliers";

    private readonly ConditionalWeakTable<DestinationState, OutlierState> _states = [];
    private readonly Lock _ejectLock = new();

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        var signal = OutlierRules.Classify(context.Response.StatusCode, error, context.RequestAborted.IsCancellationRequested);
        if (signal == OutlierSignal.Ignore)
        {
            return;
        }

        var state = _states.GetOrCreateValue(destination);
        if (signal == OutlierSignal.Success)
        {
            state.Succeeded();
            return;
        }

        var failures = state.Failed();
        if (failures >= options.CurrentValue.OutlierDetection.ConsecutiveFailures)
        {
            TryEject(cluster, destination, state, failures);
        }
    }

    private void TryEject(ClusterState cluster, DestinationState destination, OutlierState state, int failures)
    {
        EjectionDecision decision;
        lock (_ejectLock)
        {
            if (destination.Health.Passive == DestinationHealth.Unhealthy)
            {
                // Requests already in flight when it was ejected are still failing: nothing new.
                return;
            }

            var total = 0;
            var ejected = 0;
            foreach (var other in cluster.Destinations.Values)
            {
                total++;
                ejected += other.Health.Passive == DestinationHealth.Unhealthy ? 1 : 0;
            }

            var now = time.GetTimestamp();
            TimeSpan? since = state.LastEjectedAt is { } last ? time.GetElapsedTime(last, now) : null;
            decision = OutlierRules.Decide(failures, state.Ejections, since, total, ejected, options.CurrentValue.OutlierDetection);
            state.ResetFailures();
            if (decision.Eject)
            {
                state.Ejections = decision.Ejections;
                state.LastEjectedAt = now;
                updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, decision.Duration);
            }
        }

        var service = ServiceNames.Of(cluster.Model.Config);
        if (decision.Eject)
        {
            metrics.Ejected(service);
            Log.Ejected(logger, destination.DestinationId, service, decision.Duration, decision.Ejections, decision.Reason);
        }
        else
        {
            Log.NotEjected(logger, destination.DestinationId, service, decision.Reason);
        }
    }

    /// <summary>Per replica, lives as long as YARP's DestinationState (the replica stays in routing).</summary>
    private sealed class OutlierState
    {
        private int _consecutiveFailures;

        public int Ejections { get; set; }

        public long? LastEjectedAt { get; set; }

        public void Succeeded()
        {
            // Read first: under load most requests succeed, and an unconditional write would bounce the cache line.
            if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                Volatile.Write(ref _consecutiveFailures, 0);
            }
        }

        public int Failed() => Interlocked.Increment(ref _consecutiveFailures);

        public void ResetFailures() => Volatile.Write(ref _consecutiveFailures, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Warning, "Ejected {Destination} of {Service} for {Duration} (ejection {Ejections}): {Reason}.")]
        public static partial void Ejected(ILogger logger, string destination, string service, TimeSpan duration, int ejections, string reason);

        [LoggerMessage(102, LogLevel.Warning, "Not ejecting failing {Destination} of {Service}: {Reason}.")]
        public static partial void NotEjected(ILogger logger, string destination, string service, string reason);
    }
}

using System.Collections.Immutable;
using Bollard.Scaler.Autoscaling;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Simulation;

/// <summary>
/// Replays a load trace through the agent's own autoscaling code (<see cref="AutoscalePolicy.Decide"/> for the passes,
/// <see cref="ScaleUpTrigger.Rise"/> for the load checks between them) on virtual time: no clock, no Docker, no catalog.
/// </summary>
/// <remarks>
/// The simulated loop keeps the agent's rhythm: every <see cref="SimulationSettings.LoadCheckInterval"/> the load is
/// read and a rise above the last decision runs a pass at once; otherwise a pass runs a resync interval after the last
/// one (the starting-poll interval while replicas are starting). The service starts at its range's minimum, all ready.
/// The load the policy sees is the trace's row in force, over the ready replicas, observed at that instant (the
/// agent's balancer window smooths it over a few seconds; a trace sampled every 10 s is smoother than that already).
/// </remarks>
public static class Simulator
{
    public static SimulationResult Run(ServiceSpec spec, LoadTrace trace, SimulationSettings settings, SloTargets targets)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(targets);
        if (settings.LoadCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("the load check interval is the simulation's step: it must be positive", nameof(settings));
        }

        var origin = trace.Start ?? DateTimeOffset.UnixEpoch;
        var step = settings.LoadCheckInterval;
        var dt = step.TotalSeconds;
        var replicas = new SimulatedReplicas(spec.Replicas.Min);
        var history = AutoscalerHistory.Empty;
        var changes = ImmutableArray.CreateBuilder<ReplicaChange>();
        var (replicaSeconds, secondsAbove, requestsAbove, passes, peak) = (0.0, 0.0, 0.0, 0, spec.Replicas.Min);
        var nextPass = TimeSpan.Zero;
        var row = 0;
        (int Row, int Ready, AutoscalerHistory? History) lastCheck = (-1, -1, null);
        for (var t = TimeSpan.Zero; t < trace.Duration; t += step)
        {
            while (row + 1 < trace.Points.Length && trace.Points[row + 1].At <= t)
            {
                row++;
            }

            var point = trace.Points[row];
            var now = origin + t;
            replicas.Advance(t);
            var load = Observe(point, replicas.Ready, now);
            // The load check's answer depends only on the row, the ready count and the history (the observation is always
            // fresh here): asked again only when one of them changed, which keeps a week-long trace quick.
            var unchanged = lastCheck.Row == row && lastCheck.Ready == replicas.Ready && ReferenceEquals(lastCheck.History, history);
            var rises = !unchanged && Rises(spec, history, replicas.Ready, load, now);
            lastCheck = (row, replicas.Ready, history);
            if (t >= nextPass || rises)
            {
                var input = new AutoscaleInput(spec.Autoscaling, spec.Replicas, replicas.Live, replicas.Ready, spec.Autoscaling is null ? null : load, now, AutoscaleInput.DefaultStalenessLimit);
                (var decision, history) = AutoscalePolicy.Decide(input, history);
                passes++;
                var before = changes.Count > 0 ? changes[^1].To : spec.Replicas.Min;
                if (decision.Desired != before)
                {
                    changes.Add(new ReplicaChange(t, before, decision.Desired, point.RequestsPerSecond, decision.Rule, decision.Reason));
                    peak = Math.Max(peak, decision.Desired);
                }

                replicas.ScaleTo(decision.Desired, t, settings.StartDelay);
                replicas.Advance(t); // a zero start delay makes them ready at once
                nextPass = t + (replicas.Starting > 0 ? settings.StartingPollInterval : settings.ResyncInterval);
            }

            replicaSeconds += replicas.Live * dt;
            var (above, excess) = SloDebt.At(targets, point, replicas.Ready);
            secondsAbove += above ? dt : 0;
            requestsAbove += excess * dt;
        }

        return new SimulationResult(spec.Name, spec.Source, trace.Duration, spec.Replicas.Min, changes.ToImmutable(), replicaSeconds, secondsAbove, requestsAbove, passes, peak);
    }

    /// <summary>What the agent's load source would report: the trace's totals over the ready replicas, CPU averaged
    /// over them as Docker stats are.</summary>
    private static LoadSnapshot Observe(TracePoint point, int ready, DateTimeOffset now) =>
        new(now, ready, point.RequestsPerSecond, P95LatencyMs: point.P95LatencyMs, CpuPercent: point.CpuPercent is { } cpu && ready > 0 ? cpu / ready : null);

    private static bool Rises(ServiceSpec spec, AutoscalerHistory history, int ready, LoadSnapshot load, DateTimeOffset now) =>
        spec.Autoscaling is { } autoscaling && ScaleUpTrigger.Rise(autoscaling, spec.Replicas, history, ready, load, now) is not null;
}

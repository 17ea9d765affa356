using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Autoscaling;

/// <summary>
/// Whether fresh load asks for more replicas than the last decision saw, so the reconcile loop should decide now
/// instead of at its next resync (a load step would otherwise wait up to a whole resync interval for its decision).
/// Only target tracking and the range apply here; stabilization and step limits stay the decision's business: this
/// only says that the input rose. Edge-triggered: a recommendation a decision has already seen does not fire again, so
/// a load held above the target (e.g. at the step limit) wakes the loop once, not on every check.
/// </summary>
internal static class ScaleUpTrigger
{
    /// <summary>The count the load asks for when it is above both the last decision and its recommendation; else null.</summary>
    public static int? Rise(AutoscalingSpec spec, ReplicaRange range, AutoscalerHistory history, int ready, LoadSnapshot load, DateTimeOffset now)
    {
        if (history.LastDesired is not { } decided || history.LastRecommendation is not { } seen)
        {
            return null; // no decision yet: the first pass decides anyway
        }

        var input = new AutoscaleInput(spec, range, decided, ready, load, now, AutoscaleInput.DefaultStalenessLimit);
        var asked = range.Clamp(TargetTracking.Recommend(TargetTracking.Ask(spec, input, decided), decided).Count);
        return asked > decided && asked > seen ? asked : null;
    }
}

using System.Globalization;
using Bollard.Scaler.Decisions;
using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>What the reconciler makes of a failed replica: an "exit" decision with how it ended and its last log lines,
/// the exits metric, and the count of its version's crash loop.</summary>
public sealed partial class Reconciler
{
    /// <summary>The decision action of a replica found failed (status lists them as recent failures).</summary>
    public const string ExitAction = "exit";

    /// <summary>Records a replica removed for failing, once (its removal has just begun).</summary>
    private void NoteFailure(RemoveReplica remove)
    {
        if (remove.Failure is not { } failure)
        {
            return;
        }

        var container = remove.Container;
        ReplicaExitMetrics.Count(container.Service, container.Version, failure.Kind);
        var now = _time.GetUtcNow();
        var outcome = "replaced";
        if (failure.FailedStart && _passSpecs.GetValueOrDefault(container.Service) is { } spec)
        {
            var (failed, wait) = _crashLoops.RecordFailedStart(spec, container.Version, now, failure.Reason);
            outcome = string.Create(CultureInfo.InvariantCulture, $"replaced; failed start {failed} in a row of {container.Version}, its next replica starts in {Durations.Format(RoundUp(wait))} at the earliest");
            if (failed > 1)
            {
                LogCrashLoop(container.Service, container.Version, failed, wait.TotalSeconds, failure.Reason);
            }
        }

        var reason = $"{container.Version} on {remove.Host}: {(failure.Exit is { } exit ? ExitReasons.Describe(exit) : failure.Reason)}";
        if (failure.Exit is { LogTail.Length: > 0 } logged)
        {
            reason += $"\nlast log lines:\n{logged.LogTail}";
        }

        _decisions.Record(new Decision(now, container.Service, ExitAction, container.ShortId, reason, outcome));
    }

    /// <summary>Clears the crash loops of versions that recovered, saying so.</summary>
    private void NoteRecovered(IReadOnlyList<CrashLoop> recovered, DateTimeOffset now)
    {
        foreach (var loop in recovered)
        {
            _decisions.Record(new Decision(now, loop.Service, "crash back-off", loop.Version, $"a replica of {loop.Version} has passed its check and run for the reset time after {loop.FailedStarts} failed starts", "cleared"));
        }
    }

    private static TimeSpan RoundUp(TimeSpan wait) => TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds));
}

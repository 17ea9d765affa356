using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>Why a replica failed and must be replaced.</summary>
/// <param name="Reason">In words, with the exit and its last log line when the engine told them.</param>
/// <param name="Kind">For metrics, one of a fixed set: oom-killed, signal, error, completed (an exit), exited (an exit
/// the engine did not describe), start-timeout, unhealthy.</param>
/// <param name="FailedStart">It never passed its check, or failed within the crash back-off's reset time of its
/// creation: it counts towards its version's crash loop (<see cref="CrashLoops"/>).</param>
/// <param name="Exit">How it ended, when it stopped and its engine could tell.</param>
public sealed record ReplicaFailure(string Reason, string Kind, bool FailedStart, ContainerExit? Exit);

/// <summary>Whether a replica has failed and must be replaced, and why (null while it is fine or still starting).</summary>
internal static class ReplicaFailures
{
    public static ReplicaFailure? FailureOf(ServiceSpec newest, ReplicaView replica, DateTimeOffset now)
    {
        var health = newest.Health;
        var container = replica.Container;
        var failedStart = !replica.Health.EverPassed || now - container.Created < newest.CrashBackoff.ResetAfter;
        if (container.State == ContainerRunState.Stopped)
        {
            return container.Exit is { } exit
                ? new ReplicaFailure($"container stopped: {ExitReasons.DescribeWithLastLine(exit)}", ExitReasons.KindOf(exit), failedStart, exit)
                : new ReplicaFailure("container is not running (exited or killed)", "exited", failedStart, null);
        }

        if (!replica.Health.EverPassed && now - container.Created > health.StartPeriod)
        {
            return new ReplicaFailure($"no passing health check within the start period of {Durations.Format(health.StartPeriod)}", "start-timeout", true, null);
        }

        if (replica.Health.EverPassed && replica.Health.ConsecutiveFailures >= health.UnhealthyThreshold)
        {
            return new ReplicaFailure($"{replica.Health.ConsecutiveFailures} consecutive failed health checks", "unhealthy", failedStart, null);
        }

        return null;
    }
}

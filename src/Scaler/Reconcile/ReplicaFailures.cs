using Bollard.Scaler.Runtime;
using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Reconcile;

/// <summary>Whether a replica has failed and must be replaced, and why (null while it is fine or still starting).</summary>
internal static class ReplicaFailures
{
    public static string? FailureOf(HealthCheckSpec health, ReplicaView replica, DateTimeOffset now)
    {
        var container = replica.Container;
        if (container.State == ContainerRunState.Stopped)
        {
            return "container is not running (exited or killed)";
        }

        if (!replica.Health.EverPassed && now - container.Created > health.StartPeriod)
        {
            return $"no passing health check within the start period of {Durations.Format(health.StartPeriod)}";
        }

        if (replica.Health.EverPassed && replica.Health.ConsecutiveFailures >= health.UnhealthyThreshold)
        {
            return $"{replica.Health.ConsecutiveFailures} consecutive failed health checks";
        }

        return null;
    }
}

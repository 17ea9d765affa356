using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Health;

/// <summary>
/// Pure threshold rules of the active checks. A streak is signed: +n after n passing probes in a row, -n after n
/// failing ones. A replica the catalog already reports passing (Unknown here) becomes Healthy on its first
/// passing probe; a Healthy one needs UnhealthyThreshold failures to go out, an Unhealthy one HealthyThreshold
/// passes to come back, so one lost probe does not flap routing.
/// </summary>
internal static class ActiveHealthRules
{
    public static (int Streak, DestinationHealth Health) Next(
        DestinationHealth current, int streak, bool passed, int healthyThreshold, int unhealthyThreshold)
    {
        streak = passed ? Math.Max(streak, 0) + 1 : Math.Min(streak, 0) - 1;
        var failedEnough = !passed && -streak >= unhealthyThreshold;
        var health = current switch
        {
            DestinationHealth.Unhealthy => passed && streak >= healthyThreshold ? DestinationHealth.Healthy : DestinationHealth.Unhealthy,
            DestinationHealth.Healthy => failedEnough ? DestinationHealth.Unhealthy : DestinationHealth.Healthy,
            _ => passed ? DestinationHealth.Healthy : failedEnough ? DestinationHealth.Unhealthy : DestinationHealth.Unknown,
        };
        return (streak, health);
    }
}

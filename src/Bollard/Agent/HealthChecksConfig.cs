using Bollard.Balancer;

namespace Bollard.Agent;

/// <summary>
/// The agent config's <c>balancer.healthChecks</c> block: the balancer's own HTTP probes of every replica, on top of
/// the catalog's health. Each field maps to the <c>BalancerOptions.ActiveHealthChecks</c> setting of its name; null
/// keeps the balancer's default. The probed path is each service's own (the spec's <c>health.path</c>).
/// </summary>
public sealed record HealthChecksConfig(
    bool? Enabled = null,
    TimeSpan? Interval = null,
    TimeSpan? Timeout = null,
    int? HealthyThreshold = null,
    int? UnhealthyThreshold = null)
{
    public void ApplyTo(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = options.ActiveHealthChecks;
        checks.Enabled = Enabled ?? checks.Enabled;
        checks.Interval = Interval ?? checks.Interval;
        checks.Timeout = Timeout ?? checks.Timeout;
        checks.HealthyThreshold = HealthyThreshold ?? checks.HealthyThreshold;
        checks.UnhealthyThreshold = UnhealthyThreshold ?? checks.UnhealthyThreshold;
    }
}

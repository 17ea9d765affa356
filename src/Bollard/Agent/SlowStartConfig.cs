using Bollard.Balancer;

namespace Bollard.Agent;

/// <summary>The agent config's <c>balancer.slowStart</c> block; each field maps to the BalancerOptions setting of its name.</summary>
/// <param name="Window">SlowStartWindow: how long a new replica ramps (0s: off).</param>
/// <param name="MinimumWeight">SlowStartMinimumWeight: its weight at the start, within (0, 1].</param>
/// <param name="Aggression">SlowStartAggression: 1 linear, above 1 front-loaded.</param>
/// <param name="WarmLoadLimit">SlowStartWarmLoadLimit: at most this many times their fair share on the warm replicas.</param>
public sealed record SlowStartConfig(
    TimeSpan? Window = null,
    double? MinimumWeight = null,
    double? Aggression = null,
    double? WarmLoadLimit = null)
{
    public void ApplyTo(BalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SlowStartWindow = Window ?? options.SlowStartWindow;
        options.SlowStartMinimumWeight = MinimumWeight ?? options.SlowStartMinimumWeight;
        options.SlowStartAggression = Aggression ?? options.SlowStartAggression;
        options.SlowStartWarmLoadLimit = WarmLoadLimit ?? options.SlowStartWarmLoadLimit;
    }
}

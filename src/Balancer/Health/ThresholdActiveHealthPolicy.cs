using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Health;

/// <summary>
/// YARP active health policy with healthy and unhealthy thresholds (<see cref="ActiveHealthRules"/>). A probe
/// passes on a 2xx answer within the timeout. YARP calls this once per cluster per probing round, never
/// concurrently for one cluster, so the streaks need no lock.
/// </summary>
internal sealed class ThresholdActiveHealthPolicy(IDestinationHealthUpdater updater, IOptions<BalancerOptions> options)
    : IActiveHealthCheckPolicy
{
    public const string PolicyName = "bollard-thresholds";

    private readonly ActiveHealthCheckOptions _options = options.Value.ActiveHealthChecks;
    private readonly ConditionalWeakTable<DestinationState, Streak> _streaks = [];

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        ArgumentNullException.ThrowIfNull(probingResults);
        if (probingResults.Count == 0)
        {
            return;
        }

        var changes = new List<NewActiveDestinationHealth>(probingResults.Count);
        foreach (var result in probingResults)
        {
            var passed = result.Exception is null && result.Response is { IsSuccessStatusCode: true };
            var streak = _streaks.GetOrCreateValue(result.Destination);
            (streak.Value, var health) = ActiveHealthRules.Next(
                result.Destination.Health.Active, streak.Value, passed, _options.HealthyThreshold, _options.UnhealthyThreshold);
            changes.Add(new NewActiveDestinationHealth(result.Destination, health));
        }

        updater.SetActive(cluster, changes);
    }

    private sealed class Streak
    {
        public int Value { get; set; }
    }
}

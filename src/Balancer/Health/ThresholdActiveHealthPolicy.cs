using System.Runtime.CompilerServices;
using Bollard.Balancer.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Health;

/// <summary>
/// YARP active health policy with healthy and unhealthy thresholds (<see cref="ActiveHealthRules"/>). A probe
/// passes on a 2xx answer within the timeout. YARP calls this once per cluster per probing round, never
/// concurrently for one cluster, so the streaks need no lock. Every change of a replica's health is logged, so the
/// log shows when a replica entered or left this balancer's rotation.
/// </summary>
internal sealed partial class ThresholdActiveHealthPolicy(
    IDestinationHealthUpdater updater, IOptionsMonitor<BalancerOptions> options, ILogger<ThresholdActiveHealthPolicy> logger)
    : IActiveHealthCheckPolicy
{
    public const string PolicyName = "bollard-thresholds";

    private readonly ConditionalWeakTable<DestinationState, Streak> _streaks = [];

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(probingResults);
        if (probingResults.Count == 0)
        {
            return;
        }

        var thresholds = options.CurrentValue.ActiveHealthChecks;
        var changes = new List<NewActiveDestinationHealth>(probingResults.Count);
        foreach (var result in probingResults)
        {
            var passed = result.Exception is null && result.Response is { IsSuccessStatusCode: true };
            var streak = _streaks.GetOrCreateValue(result.Destination);
            var before = result.Destination.Health.Active;
            (streak.Value, var health) = ActiveHealthRules.Next(before, streak.Value, passed, thresholds.HealthyThreshold, thresholds.UnhealthyThreshold);
            changes.Add(new NewActiveDestinationHealth(result.Destination, health));
            if (health != before)
            {
                LogChanged(ServiceNames.Of(cluster.Model.Config), result.Destination.DestinationId, before, health, streak.Value);
            }
        }

        updater.SetActive(cluster, changes);
    }

    private void LogChanged(string service, string destination, DestinationHealth before, DestinationHealth after, int streak)
    {
        if (after == DestinationHealth.Unhealthy)
        {
            LogUnhealthy(destination, service, -streak);
        }
        else if (before == DestinationHealth.Unhealthy)
        {
            LogBack(destination, service, streak);
        }
        else
        {
            LogConfirmed(destination, service);
        }
    }

    [LoggerMessage(111, LogLevel.Warning, "Active checks took {Destination} of {Service} out of rotation after {Failures} failed probes.")]
    private partial void LogUnhealthy(string destination, string service, int failures);

    [LoggerMessage(112, LogLevel.Information, "Active checks brought {Destination} of {Service} back after {Passes} passing probes.")]
    private partial void LogBack(string destination, string service, int passes);

    [LoggerMessage(113, LogLevel.Debug, "Active checks confirmed new {Destination} of {Service} healthy.")]
    private partial void LogConfirmed(string destination, string service);

    private sealed class Streak
    {
        public int Value { get; set; }
    }
}

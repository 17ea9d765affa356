using Bollard.Balancer.Health;
using Yarp.ReverseProxy.Model;

namespace Bollard.Balancer.Tests.Health;

public sealed class ActiveHealthRulesTests
{
    [Theory]
    // Probes: P = pass, F = fail; thresholds: healthy 2, unhealthy 3.
    [InlineData(DestinationHealth.Unknown, "P", DestinationHealth.Healthy)]
    [InlineData(DestinationHealth.Unknown, "FF", DestinationHealth.Unknown)]
    [InlineData(DestinationHealth.Unknown, "FFF", DestinationHealth.Unhealthy)]
    [InlineData(DestinationHealth.Healthy, "FF", DestinationHealth.Healthy)]
    [InlineData(DestinationHealth.Healthy, "FFPFF", DestinationHealth.Healthy)]
    [InlineData(DestinationHealth.Healthy, "FFF", DestinationHealth.Unhealthy)]
    [InlineData(DestinationHealth.Unhealthy, "P", DestinationHealth.Unhealthy)]
    [InlineData(DestinationHealth.Unhealthy, "PFP", DestinationHealth.Unhealthy)]
    [InlineData(DestinationHealth.Unhealthy, "PP", DestinationHealth.Healthy)]
    [InlineData(DestinationHealth.Healthy, "FFFPP", DestinationHealth.Healthy)]
    public void Health_changes_only_after_the_threshold_in_a_row(DestinationHealth start, string probes, DestinationHealth expected)
    {
        var (streak, health) = (0, start);
        foreach (var probe in probes)
        {
            (streak, health) = ActiveHealthRules.Next(health, streak, probe == 'P', healthyThreshold: 2, unhealthyThreshold: 3);
        }

        Assert.Equal(expected, health);
    }
}

using Bollard.Agent;
using Bollard.Balancer.LoadBalancing;
using Bollard.Scaler.Specs;

namespace Bollard.IntegrationTests.Agent;

/// <summary>The balancer fields of the agent config.</summary>
public sealed class AgentBalancerConfigTests
{
    [Fact]
    public void Zones_default_to_prefer_local_and_can_be_spread()
    {
        Assert.Equal(ZoneMode.PreferLocal, AgentConfigLoader.Parse("agent.yaml", "zone: a\n").BalancerZoneMode);
        Assert.Equal(ZoneMode.Spread, AgentConfigLoader.Parse("agent.yaml", "balancer:\n  zones: spread\n").BalancerZoneMode);
        Assert.Equal(ZoneMode.PreferLocal, AgentConfigLoader.Parse("agent.yaml", "balancer: {zones: preferLocal}\n").BalancerZoneMode);
    }

    [Fact]
    public void A_wrong_zone_mode_is_located_with_what_is_allowed()
    {
        var error = Assert.Throws<SpecValidationException>(() => AgentConfigLoader.Parse("agent.yaml", "balancer:\n  zones: nearest\n"));

        Assert.Contains("agent.yaml:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nearest' is not a zone mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("spread", error.Message, StringComparison.Ordinal);
    }
}
